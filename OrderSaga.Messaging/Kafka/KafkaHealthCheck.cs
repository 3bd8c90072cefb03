using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderSaga.Messaging.Kafka;

/// <summary>Healthy when the broker answers a metadata request on the service's own producer connection.</summary>
public sealed class KafkaHealthCheck(IProducer<string, byte[]> producer) : IHealthCheck, IDisposable
{
    private readonly IAdminClient _admin = new DependentAdminClientBuilder(producer.Handle).Build();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            try
            {
                var metadata = _admin.GetMetadata(TimeSpan.FromSeconds(3));
                return metadata.Brokers.Count > 0
                    ? HealthCheckResult.Healthy()
                    : new HealthCheckResult(context.Registration.FailureStatus, "the broker listed no brokers");
            }
            catch (KafkaException ex)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, ex.Error.Reason, ex);
            }
        }, cancellationToken);

    public void Dispose() => _admin.Dispose();
}
