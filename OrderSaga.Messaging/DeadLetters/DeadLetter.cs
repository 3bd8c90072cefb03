namespace OrderSaga.Messaging.DeadLetters;

/// <summary>A message parked on <c>order-events.dlq</c>, with every header it carries (the error among them).</summary>
public sealed record DeadLetter(
    int Partition,
    long Offset,
    string? Key,
    DateTimeOffset ParkedAt,
    IReadOnlyDictionary<string, string> Headers,
    string Value);

/// <summary>Where a dead letter sits on <c>order-events.dlq</c>.</summary>
public sealed record DeadLetterPosition(int Partition, long Offset);

/// <summary>What a re-drive did with one dead letter.</summary>
public sealed record RedriveOutcome(int Partition, long Offset, string? OrderId, bool Redriven, string? Error);
