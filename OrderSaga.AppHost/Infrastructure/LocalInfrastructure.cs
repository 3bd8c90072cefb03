using OrderSaga.AppHost.HealthChecks;
using OrderSaga.DevServers.Kafka;
using OrderSaga.DevServers.Postgres;
using OrderSaga.DevServers.Redis;
using OrderSaga.Topology;

namespace OrderSaga.AppHost.Infrastructure;

/// <summary>
/// Kafka, PostgreSQL and Redis as processes on this machine, for machines without a container runtime:
/// librdkafka's mock cluster, the machine's PostgreSQL binaries and Microsoft Garnet, hosted by OrderSaga.DevServers.
/// </summary>
public static class LocalInfrastructure
{
    public static SagaInfrastructure Add(IDistributedApplicationBuilder builder, InfrastructureOptions options)
    {
        var devServers = BuiltProject.Locate(new Projects.OrderSaga_DevServers());

        var topics = SagaTopics.WithPrefix(builder.Configuration[SagaTopics.PrefixKey]);
        var kafka = AddDevServer(builder, devServers, ResourceNames.Kafka, KafkaMockOptions.Section,
                server => ReferenceExpression.Create($"{server.Endpoint.Property(EndpointProperty.HostAndPort)}"))
            .WithSetting($"{KafkaMockOptions.Section}:{nameof(KafkaMockOptions.Topics)}:{topics.OrderEvents}", options.OrderEventsPartitions.ToString())
            .WithSetting($"{KafkaMockOptions.Section}:{nameof(KafkaMockOptions.Topics)}:{topics.DeadLetters}", "1")
            .WithProbeHealthCheck(ServerProbes.KafkaAsync(BrokerAddresses.Dialled));

        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, "postgres-password", special: false);
        var postgres = AddDevServer(builder, devServers, ResourceNames.Postgres, PostgresOptions.Section,
                server => ReferenceExpression.Create(
                    $"Host={server.Endpoint.Property(EndpointProperty.Host)};Port={server.Endpoint.Property(EndpointProperty.Port)};Username=postgres;Password={password}"))
            .WithSetting($"{PostgresOptions.Section}:{nameof(PostgresOptions.Password)}", password)
            .WithSetting($"{PostgresOptions.Section}:{nameof(PostgresOptions.DataDirectory)}", options.PostgresDataDirectory)
            .WithSetting($"{PostgresOptions.Section}:{nameof(PostgresOptions.Database)}", ResourceNames.Database)
            .WithProbeHealthCheck(ServerProbes.LocalPostgres(options.PostgresDataDirectory));
        if (options.PostgresBinDirectory is { Length: > 0 } binDirectory)
        {
            postgres.WithSetting($"{PostgresOptions.Section}:{nameof(PostgresOptions.BinDirectory)}", binDirectory);
        }

        var database = builder
            .AddResource(new DevDatabaseResource(ResourceNames.Database, ResourceNames.Database, postgres.Resource))
            .WithStateOfParent("PostgresDatabase")
            .WithProbeHealthCheck(ServerProbes.LocalPostgres(options.PostgresDataDirectory));

        var redis = AddDevServer(builder, devServers, ResourceNames.Redis, GarnetOptions.Section,
                server => ReferenceExpression.Create($"{server.Endpoint.Property(EndpointProperty.HostAndPort)}"))
            .WithProbeHealthCheck(ServerProbes.RedisAsync);

        return new SagaInfrastructure(kafka, database, redis, SingleBroker: true);
    }

    private static IResourceBuilder<DevServerResource> AddDevServer(
        IDistributedApplicationBuilder builder,
        BuiltProject devServers,
        string name,
        string settingsSection,
        Func<DevServerResource, ReferenceExpression> connectionString) =>
        builder.AddResource(new DevServerResource(name, devServers.DotnetHost, devServers.WorkingDirectory, connectionString))
            .WithArgs(devServers.Assembly, name)
            .WithEndpoint(name: DevServerResource.EndpointName, scheme: "tcp", env: ResourceSettings.EnvironmentVariable($"{settingsSection}:Port"), isProxied: false);
}
