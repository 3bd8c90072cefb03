using OrderSaga.AppHost.HealthChecks;

namespace OrderSaga.AppHost.Infrastructure;

/// <summary>Kafka (Redpanda), PostgreSQL and Redis as containers, for machines with a container runtime.</summary>
public static class ContainerInfrastructure
{
    private const string RedpandaRegistry = "docker.redpanda.com";
    private const string RedpandaImage = "redpandadata/redpanda";
    private const string RedpandaTag = "v25.1.9";
    private const string ConsoleImage = "redpandadata/console";
    private const string ConsoleTag = "v3.1.2";

    public static SagaInfrastructure Add(IDistributedApplicationBuilder builder)
    {
        // A dead daemon must fail the start quickly and say so, rather than leave every resource waiting.
        builder.Configuration["DcpPublisher:ContainerRuntimeInitializationTimeout"] ??= "00:00:30";

        var postgres = builder.AddPostgres(InfrastructureOptions.ResourcePostgres)
            .WithDataVolume("ordersaga-postgres-data");
        var database = postgres.AddDatabase(InfrastructureOptions.ResourceDatabase);

        var redis = builder.AddRedis(InfrastructureOptions.ResourceRedis);

        var kafka = AddRedpanda(builder);
        var internalBrokers = string.Join(':', InfrastructureOptions.ResourceKafka, RedpandaResource.InternalPort);
        builder.AddContainer("kafka-console", ConsoleImage, ConsoleTag)
            .WithImageRegistry(RedpandaRegistry)
            .WithEnvironment("KAFKA_BROKERS", internalBrokers)
            .WithHttpEndpoint(targetPort: 8080)
            .WithParentRelationship(kafka)
            .WaitFor(kafka);

        return new SagaInfrastructure(kafka, database, redis);
    }

    private static IResourceBuilder<RedpandaResource> AddRedpanda(IDistributedApplicationBuilder builder)
    {
        // The external listener is not proxied: the broker advertises it, so its host port must be fixed and known.
        return builder.AddResource(new RedpandaResource(InfrastructureOptions.ResourceKafka))
            .WithImage(RedpandaImage, RedpandaTag)
            .WithImageRegistry(RedpandaRegistry)
            .WithEndpoint(port: RedpandaResource.ExternalPort, targetPort: RedpandaResource.ExternalPort,
                name: RedpandaResource.ExternalEndpointName, scheme: "tcp", isProxied: false)
            .WithEndpoint(targetPort: RedpandaResource.InternalPort, name: RedpandaResource.InternalEndpointName, scheme: "tcp")
            .WithArgs(
                "redpanda", "start", "--mode", "dev-container", "--smp", "1",
                "--kafka-addr", $"internal://0.0.0.0:{RedpandaResource.InternalPort},external://0.0.0.0:{RedpandaResource.ExternalPort}",
                "--advertise-kafka-addr", $"internal://{InfrastructureOptions.ResourceKafka}:{RedpandaResource.InternalPort},external://localhost:{RedpandaResource.ExternalPort}")
            .WithProbeHealthCheck(ServerProbes.KafkaAsync);
    }
}
