using System.Text;
using Confluent.Kafka;

namespace OrderSaga.Messaging.Events;

/// <summary>Kafka header names beside the W3C trace context.</summary>
public static class MessageHeaders
{
    public const string EventType = "event-type";
    public const string EventId = "event-id";

    /// <summary>
    /// The CloudEvents Kafka binding (binary mode): the event's attributes as <c>ce_</c> headers beside the envelope,
    /// so tools that speak CloudEvents read our messages without knowing the envelope.
    /// </summary>
    public const string CloudEventsSpecVersion = "ce_specversion";
    public const string CloudEventsId = "ce_id";
    public const string CloudEventsSource = "ce_source";
    public const string CloudEventsType = "ce_type";
    public const string CloudEventsTime = "ce_time";
    public const string CloudEventsSubject = "ce_subject";
    public const string CloudEventsDataSchema = "ce_dataschema";
    public const string ContentType = "content-type";

    /// <summary>On a copy published again after a failure: which retry round it is, and for which consumer group.</summary>
    public const string RetryRound = "retry-round";
    public const string RetryConsumerGroup = "retry-consumer-group";

    /// <summary>Every header a dead letter gains starts with this.</summary>
    public const string DeadLetterPrefix = "dlq-";

    public const string DeadLetterError = "dlq-error";
    public const string DeadLetterReason = "dlq-reason";
    public const string DeadLetterAttempts = "dlq-attempts";
    public const string DeadLetterConsumerGroup = "dlq-consumer-group";
    public const string DeadLetterOriginalTopic = "dlq-original-topic";
    public const string DeadLetterOriginalPartition = "dlq-original-partition";
    public const string DeadLetterOriginalOffset = "dlq-original-offset";
    public const string DeadLetterFailedAt = "dlq-failed-at";

    /// <summary>The event type a message's header names; null when it has none.</summary>
    public static string? TypeOf(Message<string, byte[]> message) =>
        message.Headers?.TryGetLastBytes(EventType, out var type) == true ? Encoding.UTF8.GetString(type) : null;

    /// <summary>
    /// Whether a header records a failure of the message (its retry rounds or its dead-lettering) rather than its
    /// identity or trace: a re-drive strips these, so the copy starts the retry schedule afresh.
    /// </summary>
    public static bool RecordsFailure(string name) =>
        name.StartsWith(DeadLetterPrefix, StringComparison.Ordinal) || name is RetryRound or RetryConsumerGroup;
}
