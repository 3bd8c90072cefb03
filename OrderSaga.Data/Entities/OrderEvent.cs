namespace OrderSaga.Data.Entities;

/// <summary>One row of an order's audit trail: a saga event as the status-updater received it.</summary>
public sealed class OrderEvent
{
    public long Id { get; init; }
    public Guid EventId { get; init; }
    public Guid OrderId { get; init; }
    public required string Type { get; init; }
    public required string Payload { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}
