using OrderSaga.AppHost.HealthChecks;
using OrderSaga.Topology;

namespace OrderSaga.AppHost.Infrastructure;

/// <summary>
/// Kafka, PostgreSQL and Redis that run elsewhere (a Kafka or Redpanda cluster, managed PostgreSQL and Redis): the
/// AppHost starts none of them and takes their connection strings from configuration
/// (<c>ConnectionStrings:kafka</c>, <c>:ordersaga</c>, <c>:redis</c>, user secrets or environment). Each is probed as
/// the local and container servers are, so the services still start only once they answer.
/// </summary>
public static class ExternalInfrastructure
{
    public static SagaInfrastructure Add(IDistributedApplicationBuilder builder) => new(
        builder.AddConnectionString(ResourceNames.Kafka).WithProbeHealthCheck(ServerProbes.KafkaAsync(BrokerAddresses.Followed)),
        builder.AddConnectionString(ResourceNames.Database).WithProbeHealthCheck(ServerProbes.PostgresAsync),
        builder.AddConnectionString(ResourceNames.Redis).WithProbeHealthCheck(ServerProbes.RedisAsync),
        SingleBroker: false);
}
