using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Messaging.Events;
using OrderSaga.Topology;

namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// Parks a message that cannot be handled on <c>order-events.dlq</c>: the original key, value and headers, plus
/// the error and the original coordinates, so it can be inspected and replayed.
/// </summary>
public sealed class DeadLetterPublisher(SagaProducer producer, SagaTopics topics, SagaMetrics metrics, TimeProvider time, ILogger<DeadLetterPublisher> logger)
{
    public async Task PublishAsync(ConsumeResult<string, byte[]> failed, string consumerGroup, DeadLetterReason reason, string error, int attempts, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        foreach (var header in failed.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        Add(headers, MessageHeaders.DeadLetterReason, reason.ToString());
        Add(headers, MessageHeaders.DeadLetterError, error);
        Add(headers, MessageHeaders.DeadLetterAttempts, attempts.ToString(CultureInfo.InvariantCulture));
        Add(headers, MessageHeaders.DeadLetterConsumerGroup, consumerGroup);
        Add(headers, MessageHeaders.DeadLetterOriginalTopic, failed.Topic);
        Add(headers, MessageHeaders.DeadLetterOriginalPartition, failed.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, MessageHeaders.DeadLetterOriginalOffset, failed.Offset.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, MessageHeaders.DeadLetterFailedAt, time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));

        await producer.ProduceAsync(topics.DeadLetters, new Message<string, byte[]>
        {
            Key = failed.Message.Key,
            Value = failed.Message.Value,
            Headers = headers,
        }, cancellationToken);

        metrics.DeadLettered(consumerGroup, reason);
        logger.LogError("Dead-lettered {Topic}/{Partition}@{Offset} for {ConsumerGroup} after {Attempts} attempts ({Reason}): {Error}",
            failed.Topic, failed.Partition.Value, failed.Offset.Value, consumerGroup, attempts, reason, error);
    }

    private static void Add(Headers headers, string name, string value)
    {
        headers.Remove(name);
        headers.Add(name, Encoding.UTF8.GetBytes(value));
    }
}

public enum DeadLetterReason
{
    /// <summary>The bytes are not an event envelope; retrying cannot help.</summary>
    InvalidEnvelope,

    /// <summary>The envelope is fine but its payload is not the event its type names; retrying cannot help.</summary>
    InvalidPayload,

    /// <summary>The handler failed on every attempt.</summary>
    HandlerFailed,
}
