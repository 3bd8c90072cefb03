using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderSaga.Tests.Infrastructure;

[Collection(SagaAppCollection.Name)]
public sealed class ResourceHealthTests(SagaAppFixture fixture)
{
    public static TheoryData<string> HealthyResources => [.. SagaAppFixture.ServerResources.Concat(SagaAppFixture.ServiceResources)];

    [Theory]
    [MemberData(nameof(HealthyResources))]
    public async Task Resource_is_healthy(string resource)
    {
        // Asked through Aspire's wait rather than one state lookup: a resource with replicas (inventory runs two
        // here) has a state per instance, and this answers for all of them. It fails at once if one is unavailable.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var state = await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.StopOnResourceUnavailable, timeout.Token);

        Assert.Equal(KnownResourceStates.Running, state.Snapshot.State?.Text);
        Assert.Equal(HealthStatus.Healthy, state.Snapshot.HealthStatus);
    }

    [Fact]
    public void Provisioning_job_finished_successfully()
    {
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(ResourceNames.Provisioning, out var state));
        Assert.Equal(KnownResourceStates.Finished, state.Snapshot.State?.Text);
        Assert.Equal(0, state.Snapshot.ExitCode);
    }
}
