using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderSaga.Messaging.Kafka;

/// <summary>
/// Healthy when the broker answers a metadata request on the service's own producer connection and the producer
/// delivers: a producer whose every message has failed for <see cref="CannotDeliverAfter"/> is reported, whatever
/// the metadata says.
/// </summary>
public sealed class KafkaHealthCheck(SagaProducer producer, BrokerMetadataReader metadata, TimeProvider time) : IHealthCheck
{
    public static readonly TimeSpan CannotDeliverAfter = TimeSpan.FromSeconds(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (producer.FailingSince is { } failing && time.GetUtcNow() - failing.At >= CannotDeliverAfter)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"the producer has delivered nothing since {failing.At:O}: {failing.Reason}");
        }

        try
        {
            return (await metadata.ReadAsync(cancellationToken)).Brokers.Count > 0
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, "the broker listed no brokers");
        }
        catch (KafkaException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, ex.Error.Reason, ex);
        }
    }
}
