using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderSaga.Topology;

namespace OrderSaga.Messaging.Kafka;

/// <summary>
/// Healthy once the broker has the saga's topics, which the provisioning job creates. Topics are not taken away, so
/// once seen the answer is kept; whether the broker answers now is <see cref="KafkaHealthCheck"/>'s business.
/// </summary>
public sealed class SagaTopicsHealthCheck(SagaProducer producer) : IHealthCheck
{
    private static readonly string[] Required = [Topics.OrderEvents, Topics.DeadLetters];
    private volatile bool _present;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_present)
        {
            return Task.FromResult(HealthCheckResult.Healthy());
        }

        return Task.Run(() =>
        {
            try
            {
                using var admin = producer.CreateAdminClient();
                var existing = ExistingTopics.Read(admin, TimeSpan.FromSeconds(3));
                var missing = Required.Where(topic => !existing.ContainsKey(topic)).ToList();
                if (missing.Count > 0)
                {
                    return new HealthCheckResult(context.Registration.FailureStatus, $"waiting for the provisioning job: no topic {string.Join(", ", missing)}");
                }

                _present = true;
                return HealthCheckResult.Healthy();
            }
            catch (KafkaException ex)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, ex.Error.Reason, ex);
            }
        }, cancellationToken);
    }
}
