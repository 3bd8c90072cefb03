namespace OrderSaga.Messaging.Storage;

/// <summary>An event a consumer has applied; written in the same transaction as the effect, so redelivery is a no-op.</summary>
public sealed class ProcessedEvent
{
    public required string Consumer { get; init; }
    public Guid EventId { get; init; }
    public DateTimeOffset ProcessedAt { get; init; }
}
