using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderSaga.Messaging.Consuming;

namespace OrderSaga.Messaging.Kafka;

/// <summary>Builds Kafka clients from the <c>kafka</c> connection string and configuration, logging through ILogger.</summary>
public sealed class KafkaClientFactory(IOptions<KafkaClientOptions> options, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("OrderSaga.Kafka");

    /// <summary>An idempotent producer that waits for all in-sync replicas: no loss and no duplicates from retries.</summary>
    public IProducer<string, byte[]> CreateProducer(Action<Error> onError) =>
        new ProducerBuilder<string, byte[]>(ProducerConfig())
            .SetLogHandler((_, message) => Log(message))
            .SetErrorHandler((_, error) =>
            {
                _logger.LogWarning("Kafka producer error {Code}: {Reason} (fatal: {IsFatal})", error.Code, error.Reason, error.IsFatal);
                onError(error);
            })
            .Build();

    internal ProducerConfig ProducerConfig() => Configured(new ProducerConfig
    {
        BootstrapServers = options.Value.BootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 1,
        MessageSendMaxRetries = int.MaxValue,
        // A delivery is given up after 30 s (librdkafka waits 5 minutes): every message we produce is kept by its
        // sender (an outbox row, a deferred event, a consumed message) and sent again, and the sender holds rows or
        // a partition's progress while it waits.
        MessageTimeoutMs = 30_000,
        // librdkafka would buffer up to 1 GiB of unsent messages, all of it counted against a container's memory
        // limit; our senders keep their messages themselves, so a bounded queue only makes them wait.
        QueueBufferingMaxKbytes = BufferKibibytes,
    }, options.Value.Producer);

    /// <summary>The most a producer queues, and a consumer pre-fetches, in KiB (librdkafka: 1 GiB and 64 MiB).</summary>
    public const int BufferKibibytes = 16 * 1024;

    /// <summary>
    /// A consumer that commits only offsets stored explicitly, i.e. after the message's effect is durable. It keeps
    /// librdkafka's long fetch wait: a broker answers a fetch as soon as data arrives, so the wait costs no latency,
    /// and an idle consumer asks twice a second instead of fifty times. With an instance id (a pod's
    /// name) it is a static member of its group: one that restarts within the session timeout gets its partitions
    /// back without a rebalance of the whole group.
    /// </summary>
    public IConsumer<string, byte[]> CreateConsumer(ConsumerOptions consumer) =>
        new ConsumerBuilder<string, byte[]>(ConsumerConfig(consumer))
            .SetLogHandler((_, message) => Log(message))
            .SetErrorHandler((_, error) => _logger.LogWarning("Kafka consumer error {Code}: {Reason}", error.Code, error.Reason))
            .Build();

    internal ConsumerConfig ConsumerConfig(ConsumerOptions consumer) => Configured(new ConsumerConfig
    {
        BootstrapServers = options.Value.BootstrapServers,
        GroupId = consumer.GroupId,
        GroupInstanceId = string.IsNullOrEmpty(consumer.InstanceId) ? null : consumer.InstanceId,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = true,
        EnableAutoOffsetStore = false,
        AutoCommitIntervalMs = 1000,
        SessionTimeoutMs = 10_000,
        HeartbeatIntervalMs = 1_000,
        MaxPollIntervalMs = (int)consumer.MaxPollInterval.TotalMilliseconds,
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
        QueuedMaxMessagesKbytes = BufferKibibytes,
        FetchMaxBytes = BufferKibibytes * 1024 / 4,
    }, options.Value.Consumer);

    /// <summary>A consumer for reading chosen partitions and offsets by assignment; it never joins a group or commits.</summary>
    public IConsumer<string, byte[]> CreateReader() =>
        new ConsumerBuilder<string, byte[]>(Configured(new ConsumerConfig
            {
                BootstrapServers = options.Value.BootstrapServers,
                GroupId = "ordersaga-reader",
                EnableAutoCommit = false,
                EnableAutoOffsetStore = false,
            }, options.Value.Consumer))
            .SetLogHandler((_, message) => Log(message))
            .Build();

    /// <summary>Our defaults, then <c>Kafka:Client</c> (every client's), then the settings of this kind of client.</summary>
    private TConfig Configured<TConfig>(TConfig config, Dictionary<string, string> kindSettings) where TConfig : ClientConfig
    {
        foreach (var (key, value) in options.Value.Client.Concat(kindSettings))
        {
            config.Set(key, value);
        }

        return config;
    }

    private void Log(LogMessage message)
    {
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        _logger.Log(level, "librdkafka {Facility} {Client}: {Message}", message.Facility, message.Name, message.Message);
    }
}
