using Confluent.Kafka;

namespace OrderSaga.Messaging.Kafka;

/// <summary>
/// The broker's metadata for the health checks: one request at a time, on a thread of its own, its answer kept for a
/// moment. Probes that give up on a hung broker leave no blocked pool threads behind them (librdkafka's call cannot
/// be cancelled), and the broker and topic checks of one probe share one request.
/// </summary>
public sealed class BrokerMetadataReader(SagaProducer producer, TimeProvider time)
{
    /// <summary>How long librdkafka may take; a check gives up sooner (its registration's timeout) and the call goes on.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(2);
    private readonly Lock _lock = new();
    private Task<Metadata>? _request;
    private DateTimeOffset _requestedAt;

    /// <summary>The latest answer (or failure) if it is fresh or still on its way, else a new request's.</summary>
    public Task<Metadata> ReadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_request is null || (_request.IsCompleted && time.GetUtcNow() - _requestedAt >= KeptFor))
            {
                _requestedAt = time.GetUtcNow();
                _request = Task.Factory.StartNew(Request, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            return _request.WaitAsync(cancellationToken);
        }
    }

    private Metadata Request()
    {
        using var admin = producer.CreateAdminClient();
        return admin.GetMetadata(RequestTimeout);
    }
}
