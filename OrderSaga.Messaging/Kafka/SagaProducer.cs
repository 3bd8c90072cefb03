using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace OrderSaga.Messaging.Kafka;

/// <summary>
/// The process's one idempotent Kafka producer. librdkafka gives up on an idempotent producer for good after a
/// fatal error (a fenced or out-of-sequence producer id); this one is then rebuilt before the next message, and the
/// messages that failed are sent again by their callers (the outbox keeps them unsent, and the consumers' once-only
/// claims absorb a copy the old producer did deliver). It also remembers whether it can deliver, for the health check.
/// </summary>
public sealed class SagaProducer : IDisposable
{
    private readonly KafkaClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly ILogger<SagaProducer> _logger;
    private readonly Lock _rebuild = new();
    private IProducer<string, byte[]> _producer;
    // Written by librdkafka's threads and by every caller, read by the health check: each is one reference, swapped whole.
    private volatile Error? _fatal;
    private volatile DeliveryFailure? _failingSince;
    private volatile DeliveryFailure? _unreachableSince;

    public SagaProducer(KafkaClientFactory clients, TimeProvider time, ILogger<SagaProducer> logger)
    {
        _clients = clients;
        _time = time;
        _logger = logger;
        _producer = clients.CreateProducer(OnError);
    }

    /// <summary>How many times the producer was rebuilt after a fatal error.</summary>
    public int Rebuilds { get; private set; }

    /// <summary>Since when, and why, every delivery has failed; null while deliveries succeed.</summary>
    public DeliveryFailure? FailingSince => _failingSince;

    /// <summary>An admin client on the producer's connection, for metadata and topic management.</summary>
    public IAdminClient CreateAdminClient() => new DependentAdminClientBuilder(Current().Handle).Build();

    /// <summary>
    /// Whether work that holds something while it waits for deliveries (outbox rows locked until they are marked
    /// sent) should start now: yes while deliveries succeed and the broker is connected; after a failed delivery, or
    /// once librdkafka has reported every broker down, only when the broker answers a metadata request again. So a
    /// broker outage holds no such work while it lasts, whenever the work comes.
    /// </summary>
    public async Task<bool> CanDeliverAsync(CancellationToken cancellationToken)
    {
        if (_failingSince is null && _unreachableSince is null)
        {
            return true;
        }

        try
        {
            using var admin = CreateAdminClient();
            await Task.Run(() => admin.GetMetadata(BrokerProbeTimeout), cancellationToken);
            _unreachableSince = null;
            return true;
        }
        catch (KafkaException)
        {
            return false;
        }
    }

    private static readonly TimeSpan BrokerProbeTimeout = TimeSpan.FromSeconds(1);

    public async Task<DeliveryResult<string, byte[]>> ProduceAsync(string topic, Message<string, byte[]> message, CancellationToken cancellationToken)
    {
        try
        {
            var delivered = await Current().ProduceAsync(topic, message, cancellationToken);
            _failingSince = null;
            _unreachableSince = null;
            return delivered;
        }
        catch (ProduceException<string, byte[]> ex)
        {
            _failingSince ??= new DeliveryFailure(_time.GetUtcNow(), ex.Error.Reason);

            if (ex.Error.IsFatal)
            {
                OnError(ex.Error);
            }

            throw;
        }
    }

    /// <summary>librdkafka reports errors here from its own threads; a fatal one dooms the current producer.</summary>
    internal void OnError(Error error)
    {
        if (error.IsFatal)
        {
            _fatal = error;
        }

        if (error.Code == ErrorCode.Local_AllBrokersDown)
        {
            _unreachableSince ??= new DeliveryFailure(_time.GetUtcNow(), error.Reason);
        }
    }

    private IProducer<string, byte[]> Current()
    {
        if (_fatal is null)
        {
            return _producer;
        }

        lock (_rebuild)
        {
            if (_fatal is { } fatal)
            {
                var doomed = _producer;
                _producer = _clients.CreateProducer(OnError);
                _fatal = null;
                Rebuilds++;
                _logger.LogError("The Kafka producer failed for good ({Code}: {Reason}); rebuilt it, and unsent messages will be sent again", fatal.Code, fatal.Reason);
                // A fatally failed producer delivers nothing more; disposing it waits for nothing worth keeping.
                _ = Task.Run(doomed.Dispose);
            }

            return _producer;
        }
    }

    public void Dispose() => _producer.Dispose();
}

/// <summary>The first of an unbroken run of failed deliveries.</summary>
public sealed record DeliveryFailure(DateTimeOffset At, string Reason);
