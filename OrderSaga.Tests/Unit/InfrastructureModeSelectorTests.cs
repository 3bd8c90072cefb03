using Microsoft.Extensions.Configuration;
using OrderSaga.AppHost.Infrastructure;

namespace OrderSaga.Tests.Unit;

public sealed class InfrastructureModeSelectorTests
{
    private static readonly ContainerRuntimeStatus RuntimeAnswers = new(true, "'docker container ls' answered");
    private static readonly ContainerRuntimeStatus NoRuntime = new(false, "no container runtime answered");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("auto")]
    [InlineData("AUTO")]
    public void Uses_containers_when_a_runtime_answers(string? configured)
    {
        var choice = InfrastructureModeSelector.Select(configured, () => RuntimeAnswers);

        Assert.Equal(InfrastructureMode.Containers, choice.Mode);
        Assert.Contains("answered", choice.Reason);
    }

    [Fact]
    public void Falls_back_to_local_processes_when_no_runtime_answers()
    {
        var choice = InfrastructureModeSelector.Select(null, () => NoRuntime);

        Assert.Equal(InfrastructureMode.Local, choice.Mode);
        Assert.Equal(NoRuntime.Description, choice.Reason);
    }

    [Theory]
    [InlineData("local", InfrastructureMode.Local)]
    [InlineData("Containers", InfrastructureMode.Containers)]
    [InlineData("external", InfrastructureMode.External)]
    public void A_forced_mode_wins_without_probing(string configured, InfrastructureMode expected)
    {
        var choice = InfrastructureModeSelector.Select(configured, () => throw new InvalidOperationException("must not probe"));

        Assert.Equal(expected, choice.Mode);
        Assert.Contains("forced", choice.Reason);
    }

    [Fact]
    public void Rejects_an_unknown_mode_with_the_valid_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => InfrastructureModeSelector.Select("kubernetes", () => NoRuntime));

        Assert.Contains("containers", error.Message);
        Assert.Contains("local", error.Message);
    }

    [Fact]
    public void Probing_a_runtime_that_is_not_installed_reports_it_unavailable()
    {
        var status = ContainerRuntimeProbe.Probe("no-such-container-runtime");

        Assert.False(status.IsAvailable);
        Assert.Contains("not installed", status.Description);
    }

    [Theory]
    [InlineData("ASPIRE_CONTAINER_RUNTIME")]
    [InlineData("DOTNET_ASPIRE_CONTAINER_RUNTIME")]
    [InlineData("DcpPublisher:ContainerRuntime")]
    public void The_runtime_chosen_for_aspire_is_the_one_probed(string setting)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(setting, "podman")]).Build();

        Assert.Equal("podman", ContainerRuntimeProbe.ConfiguredRuntime(configuration));
    }

    [Fact]
    public void Without_a_chosen_runtime_both_are_probed() =>
        Assert.Null(ContainerRuntimeProbe.ConfiguredRuntime(new ConfigurationBuilder().Build()));
}
