using Microsoft.Extensions.Configuration;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Topology;

namespace OrderSaga.AppHost;

/// <summary>How many copies of the saga's topics the provisioning job asks the brokers for.</summary>
public static class TopicReplication
{
    /// <summary>
    /// What is configured (<see cref="Topics.ReplicationFactorKey"/>, <see cref="Topics.MinInsyncReplicasKey"/>); else one
    /// copy on the single broker of local and containers mode; else the job's defaults for a cluster (3 copies, 2 in sync).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTopicReplication(
        this IResourceBuilder<ProjectResource> provisioning, IConfiguration configuration, SagaInfrastructure infrastructure)
    {
        foreach (var key in (string[])[Topics.ReplicationFactorKey, Topics.MinInsyncReplicasKey])
        {
            if ((configuration[key] ?? (infrastructure.SingleBroker ? "1" : null)) is { } value)
            {
                provisioning.WithSetting(key, value);
            }
        }

        return provisioning;
    }
}
