using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderSaga.Tests.Infrastructure;

[Collection(SagaAppCollection.Name)]
public sealed class ResourceHealthTests(SagaAppFixture fixture)
{
    public static TheoryData<string> HealthyResources => [.. SagaAppFixture.ServerResources.Concat(SagaAppFixture.ServiceResources)];

    [Theory]
    [MemberData(nameof(HealthyResources))]
    public void Resource_is_healthy(string resource)
    {
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(resource, out var state), $"{resource} is not in the app model");
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
