using OrderSaga.AppHost.HealthChecks;
using OrderSaga.Topology;

namespace OrderSaga.AppHost.Infrastructure;

/// <summary>Kafka (Redpanda), PostgreSQL and Redis as containers, for machines with a container runtime.</summary>
public static class ContainerInfrastructure
{
    public const string PostgresVolume = "ordersaga-postgres-data";
    private const string RedpandaRegistry = "docker.redpanda.com";
    private const string RedpandaImage = "redpandadata/redpanda";
    private const string RedpandaTag = "v25.1.9";
    private const string ConsoleImage = "redpandadata/console";
    private const string ConsoleTag = "v3.1.2";
    private const int ConsolePort = 8080;

    public static SagaInfrastructure Add(IDistributedApplicationBuilder builder, InfrastructureOptions options)
    {
        // A dead daemon must fail the start quickly and say so, rather than leave every resource waiting.
        builder.Configuration["DcpPublisher:ContainerRuntimeInitializationTimeout"] ??= "00:00:30";

        var postgres = builder.AddPostgres(ResourceNames.Postgres).WithDataVolume(PostgresVolume).WithArgs([.. PostgresServerSettings.Arguments]);
        var database = postgres.AddDatabase(ResourceNames.Database);

        var redis = builder.AddRedis(ResourceNames.Redis);

        var kafka = AddRedpanda(builder, options);
        builder.AddContainer(ResourceNames.KafkaConsole, ConsoleImage, ConsoleTag)
            .WithImageRegistry(RedpandaRegistry)
            .WithEnvironment("KAFKA_BROKERS", kafka.Resource.InternalBootstrapServers)
            .WithHttpEndpoint(targetPort: ConsolePort)
            .WithParentRelationship(kafka)
            .WaitFor(kafka);

        return new SagaInfrastructure(kafka, database, redis, SingleBroker: true);
    }

    private static IResourceBuilder<RedpandaResource> AddRedpanda(IDistributedApplicationBuilder builder, InfrastructureOptions options)
    {
        var redpanda = builder.AddResource(new RedpandaResource(ResourceNames.Kafka));
        return redpanda
            .WithImage(RedpandaImage, RedpandaTag)
            .WithImageRegistry(RedpandaRegistry)
            .WithEndpoint(port: options.KafkaHostPort, targetPort: RedpandaResource.ExternalPort, name: RedpandaResource.ExternalEndpointName, scheme: "tcp")
            .WithEndpoint(targetPort: RedpandaResource.InternalPort, name: RedpandaResource.InternalEndpointName, scheme: "tcp")
            .WithArgs(
                "redpanda", "start", "--mode", "dev-container", "--smp", "1",
                "--kafka-addr", $"internal://0.0.0.0:{RedpandaResource.InternalPort},external://0.0.0.0:{RedpandaResource.ExternalPort}",
                "--advertise-kafka-addr", redpanda.Resource.AdvertisedListeners)
            .WithProbeHealthCheck(ServerProbes.KafkaAsync(BrokerAddresses.Dialled));
    }
}
