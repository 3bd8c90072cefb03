using System.Text;
using Confluent.Kafka;

namespace OrderSaga.Messaging.DeadLetters;

/// <summary>A message parked on <c>order-events.dlq</c>, with every header it carries (the error among them).</summary>
public sealed record DeadLetter(
    int Partition,
    long Offset,
    string? Key,
    DateTimeOffset ParkedAt,
    IReadOnlyDictionary<string, string> Headers,
    string Value)
{
    /// <summary>A dead letter as read from the topic, its value cut to <paramref name="maxValueLength"/> bytes.</summary>
    public static DeadLetter From(ConsumeResult<string, byte[]> result, int maxValueLength = int.MaxValue) => new(
        result.Partition.Value,
        result.Offset.Value,
        result.Message.Key,
        result.Message.Timestamp.UtcDateTime,
        (result.Message.Headers ?? []).GroupBy(header => header.Key)
            .ToDictionary(group => group.Key, group => Encoding.UTF8.GetString(group.Last().GetValueBytes())),
        Encoding.UTF8.GetString(result.Message.Value, 0, Math.Min(result.Message.Value.Length, maxValueLength)));
}

/// <summary>Where a dead letter sits on <c>order-events.dlq</c>.</summary>
public sealed record DeadLetterPosition(int Partition, long Offset);

/// <summary>What a re-drive did with one dead letter.</summary>
public sealed record RedriveOutcome(int Partition, long Offset, string? OrderId, bool Redriven, string? Error);
