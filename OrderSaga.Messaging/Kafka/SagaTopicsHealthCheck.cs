using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderSaga.Topology;

namespace OrderSaga.Messaging.Kafka;

/// <summary>
/// Healthy once the broker has the saga's topics, which the provisioning job creates. Topics are not taken away, so
/// once seen the answer is kept. A broker that does not answer is reported with its exception, which tells the
/// start-up gate it is not a matter of provisioning; a service that works without the broker (the api) registers this
/// check as Degraded.
/// </summary>
public sealed class SagaTopicsHealthCheck(BrokerMetadataReader metadata, SagaTopics topics) : IHealthCheck
{
    private volatile bool _present;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_present)
        {
            return HealthCheckResult.Healthy();
        }

        try
        {
            var existing = ExistingTopics.In(await metadata.ReadAsync(cancellationToken));
            var missing = topics.All.Where(topic => !existing.ContainsKey(topic)).ToList();
            if (missing.Count > 0)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"waiting for the provisioning job: no topic {string.Join(", ", missing)}");
            }

            _present = true;
            return HealthCheckResult.Healthy();
        }
        catch (KafkaException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"the broker does not answer, so the topics are not known: {ex.Error.Reason}", ex);
        }
    }
}
