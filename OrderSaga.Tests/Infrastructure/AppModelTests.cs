using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using OrderSaga.AppHost.Infrastructure;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// The app model each infrastructure mode declares, checked without starting it: containers mode cannot run on
/// machines without a container runtime, but its model is real code and must stay wired like local mode.
/// </summary>
public sealed class AppModelTests
{
    private static readonly Dictionary<string, string[]> ServiceDependencies = new()
    {
        ["api"] = ["ordersaga", "redis", "kafka", ResourceNames.Provisioning],
        ["inventory"] = ["ordersaga", "kafka", ResourceNames.Provisioning],
        ["payment"] = ["ordersaga", "kafka", ResourceNames.Provisioning],
        ["delivery"] = ["ordersaga", "kafka", ResourceNames.Provisioning],
        ["status-updater"] = ["ordersaga", "kafka", "redis", ResourceNames.Provisioning],
        [ResourceNames.Provisioning] = ["ordersaga", "kafka"],
    };

    [Fact]
    public async Task Containers_mode_runs_redpanda_postgres_and_redis_images()
    {
        var resources = await ModelAsync("containers");

        var kafka = Assert.IsType<RedpandaResource>(resources["kafka"]);
        Assert.True(kafka.TryGetContainerImageName(out var kafkaImage));
        Assert.Contains("redpanda", kafkaImage);
        Assert.IsType<PostgresServerResource>(resources["postgres"]);
        Assert.Equal("postgres", Assert.IsType<PostgresDatabaseResource>(resources["ordersaga"]).Parent.Name);
        Assert.IsType<RedisResource>(resources["redis"]);
        Assert.True(resources["kafka-console"].TryGetContainerImageName(out var consoleImage));
        Assert.Contains("console", consoleImage);
        AssertServicesWaitForTheirDependencies(resources);
    }

    [Fact]
    public async Task Local_mode_runs_the_dev_servers_as_processes()
    {
        var resources = await ModelAsync("local");

        Assert.All(new[] { "kafka", "postgres", "redis" }, name => Assert.IsType<DevServerResource>(resources[name]));
        Assert.Equal("postgres", Assert.IsType<DevDatabaseResource>(resources["ordersaga"]).Parent.Name);
        Assert.DoesNotContain(resources.Values, resource => resource is ContainerResource);
        AssertServicesWaitForTheirDependencies(resources);
    }

    private static async Task<Dictionary<string, IResource>> ModelAsync(string mode)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.OrderSaga_AppHost>([$"--Infrastructure:Mode={mode}"]);
        return builder.Resources.ToDictionary(resource => resource.Name);
    }

    private static void AssertServicesWaitForTheirDependencies(Dictionary<string, IResource> resources)
    {
        foreach (var (service, dependencies) in ServiceDependencies)
        {
            var awaited = resources[service].Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name).ToHashSet();
            Assert.True(dependencies.All(awaited.Contains), $"{service} waits for [{string.Join(", ", awaited)}], not all of [{string.Join(", ", dependencies)}]");
        }
    }
}
