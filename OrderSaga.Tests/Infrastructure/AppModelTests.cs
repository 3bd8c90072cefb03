using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using OrderSaga.AppHost;
using OrderSaga.AppHost.Infrastructure;
using static OrderSaga.Tests.Infrastructure.AppModel;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// The app model each infrastructure mode declares, checked without starting it: containers mode cannot run on
/// machines without a container runtime, but its model is real code and must stay wired like local mode.
/// </summary>
public sealed class AppModelTests
{
    private static readonly Dictionary<string, string[]> ServiceDependencies = new()
    {
        [ResourceNames.Api] = [ResourceNames.Database, ResourceNames.Redis, ResourceNames.Kafka, ResourceNames.Provisioning],
        [SagaRoles.Inventory] = [ResourceNames.Database, ResourceNames.Kafka, ResourceNames.Provisioning],
        [SagaRoles.Payment] = [ResourceNames.Database, ResourceNames.Kafka, ResourceNames.Provisioning],
        [SagaRoles.Delivery] = [ResourceNames.Database, ResourceNames.Kafka, ResourceNames.Provisioning],
        [SagaRoles.StatusUpdater] = [ResourceNames.Database, ResourceNames.Kafka, ResourceNames.Redis, ResourceNames.Provisioning],
        [ResourceNames.Provisioning] = [ResourceNames.Database, ResourceNames.Kafka],
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
    public async Task The_api_and_the_console_listen_on_the_ports_users_call_with_no_proxy_unless_there_are_replicas_to_spread_over()
    {
        var single = await ModelAsync("local");
        var scaled = await ModelAsync("local", $"--Scale:{ResourceNames.Api}=2");

        Assert.Equal(5080, Http(single[ResourceNames.Api]).Port);
        Assert.False(Http(single[ResourceNames.Api]).IsProxied, "a proxy copies every request to the single api");
        Assert.Equal(5090, Http(single[ResourceNames.Operator]).Port);
        Assert.False(Http(single[ResourceNames.Operator]).IsProxied, "a proxy copies every request to the console");
        Assert.True(Http(scaled[ResourceNames.Api]).IsProxied, "two api replicas need the proxy to share one port");

        static EndpointAnnotation Http(IResource service) => Assert.Single(service.Annotations.OfType<EndpointAnnotation>(), endpoint => endpoint.Name == "http");
    }

    [Fact]
    public async Task Containers_mode_advertises_the_kafka_port_clients_are_given()
    {
        var resources = await ModelAsync("containers");
        var kafka = Assert.IsType<RedpandaResource>(resources[ResourceNames.Kafka]);

        var external = Assert.Single(kafka.Annotations.OfType<EndpointAnnotation>(), endpoint => endpoint.Name == RedpandaResource.ExternalEndpointName);
        Assert.Equal(RedpandaResource.ExternalPort, external.TargetPort);
        Assert.True(external.IsProxied, "the host port must be Aspire's, so a busy 19092 cannot break the start");
        Assert.Null(external.Port);
        var args = await ArgumentsAsync(kafka);
        Assert.Equal(
            $"internal://{ResourceNames.Kafka}:{RedpandaResource.InternalPort},external://localhost:{{{ResourceNames.Kafka}.bindings.{RedpandaResource.ExternalEndpointName}.port}}",
            args[args.IndexOf("--advertise-kafka-addr") + 1]);
        Assert.Equal("{kafka.bindings.tcp.host}:{kafka.bindings.tcp.port}", kafka.ConnectionStringExpression.ValueExpression);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("containers")]
    public async Task On_the_single_broker_it_starts_the_topics_keep_one_copy(string mode)
    {
        var resources = await ModelAsync(mode);

        var environment = await EnvironmentAsync(resources[ResourceNames.Provisioning]);
        Assert.Equal("1", environment["Kafka__ReplicationFactor"]);
        Assert.Equal("1", environment["Kafka__MinInsyncReplicas"]);
    }

    [Fact]
    public async Task External_mode_starts_no_server_and_leaves_replication_to_the_cluster_defaults_unless_configured()
    {
        var resources = await ModelAsync("external");
        var configured = await ModelAsync("external", "--Kafka:ReplicationFactor=5", "--Kafka:MinInsyncReplicas=3");

        foreach (var server in (string[])[ResourceNames.Kafka, ResourceNames.Database, ResourceNames.Redis])
        {
            Assert.IsAssignableFrom<ParameterResource>(Assert.IsAssignableFrom<IResourceWithConnectionString>(resources[server]));
        }

        Assert.DoesNotContain(resources.Values, resource => resource is ContainerResource or DevServerResource);
        Assert.DoesNotContain("Kafka__ReplicationFactor", (await EnvironmentAsync(resources[ResourceNames.Provisioning])).Keys);
        var environment = await EnvironmentAsync(configured[ResourceNames.Provisioning]);
        Assert.Equal(("5", "3"), (environment["Kafka__ReplicationFactor"], environment["Kafka__MinInsyncReplicas"]));
    }

    [Fact]
    public async Task Containers_mode_wires_the_console_partitions_volume_and_database()
    {
        var resources = await ModelAsync("containers", $"--{Topics.PartitionsKey}=9", "--Kafka:HostPort=29092");

        var console = Assert.IsType<ContainerResource>(resources[ResourceNames.KafkaConsole]);
        var consoleEnvironment = await EnvironmentAsync(console);
        Assert.Equal($"{ResourceNames.Kafka}:{RedpandaResource.InternalPort}", consoleEnvironment["KAFKA_BROKERS"]);
        var provisioning = Assert.IsType<ProjectResource>(resources[ResourceNames.Provisioning]);
        Assert.Equal("9", (await EnvironmentAsync(provisioning))["Kafka__Partitions"]);
        Assert.Equal(29092, resources[ResourceNames.Kafka].Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == RedpandaResource.ExternalEndpointName).Port);
        var volume = Assert.Single(resources[ResourceNames.Postgres].Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal(ContainerInfrastructure.PostgresVolume, volume.Source);
        Assert.Equal(ResourceNames.Database, Assert.IsType<PostgresDatabaseResource>(resources[ResourceNames.Database]).DatabaseName);
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

    [Fact]
    public async Task Combined_workers_are_one_process_playing_every_saga_role_with_every_roles_dependencies_and_settings()
    {
        var resources = await ModelAsync("local", $"--{SagaServiceExtensions.CombineWorkersKey}=true", "--Payment:DeclineRate=0.5", "--Reconciler:Interval=00:00:07");

        Assert.All(SagaRoles.Consumers, role => Assert.DoesNotContain(role, resources.Keys));
        var workers = Assert.IsType<ProjectResource>(resources[SagaRoles.CombinedWorkers]);
        var environment = await EnvironmentAsync(workers);
        Assert.Equal(SagaRoles.Consumers, SagaRoles.FromSetting(environment["Worker__Role"]));
        Assert.Equal(("0.5", "00:00:07"), (environment["Payment__DeclineRate"], environment["Reconciler__Interval"]));
        var awaited = workers.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name).ToHashSet();
        Assert.Subset(awaited, ServiceDependencies.Where(service => SagaRoles.Consumers.Contains(service.Key)).SelectMany(service => service.Value).ToHashSet());
    }

    [Fact]
    public async Task Consumers_keep_kafkas_fetch_wait_in_every_mode_unless_told_otherwise()
    {
        // The local broker answers a fetch when data arrives, as Kafka does, so no mode needs a shorter wait.
        const string fetchWait = "Kafka__Consumer__fetch.wait.max.ms";
        var local = await ModelAsync("local");
        var containers = await ModelAsync("containers");

        foreach (var service in ServiceDependencies.Keys.Where(service => service != ResourceNames.Provisioning))
        {
            Assert.DoesNotContain(fetchWait, (await EnvironmentAsync(local[service])).Keys);
            Assert.DoesNotContain(fetchWait, (await EnvironmentAsync(containers[service])).Keys);
        }

        Assert.Equal("100", (await EnvironmentAsync((await ModelAsync("local", "--Kafka:Consumer:fetch.wait.max.ms=100"))[ResourceNames.Api]))[fetchWait]);
    }

    [Fact]
    public async Task Services_export_metrics_every_five_seconds_unless_told_otherwise()
    {
        var services = ServiceDependencies.Keys.Where(service => service != ResourceNames.Provisioning).ToList();
        var defaults = await ModelAsync("local");
        var configured = await ModelAsync("local", $"--{MetricExport.IntervalKey}=00:00:02");

        foreach (var service in services)
        {
            Assert.Equal("5000", (await EnvironmentAsync(defaults[service]))["OTEL_METRIC_EXPORT_INTERVAL"]);
            Assert.Equal("2000", (await EnvironmentAsync(configured[service]))["OTEL_METRIC_EXPORT_INTERVAL"]);
        }
    }

    [Fact]
    public async Task PostgreSQL_counts_statements_in_containers_mode_as_the_local_server_does()
    {
        var postgres = (await ModelAsync("containers"))[ResourceNames.Postgres];

        Assert.Equal(PostgresServerSettings.Arguments, await ArgumentsAsync(postgres));
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
