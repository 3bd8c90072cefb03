namespace OrderSaga.Data.Entities;

public sealed class Shipment
{
    public Guid Id { get; init; }
    public Guid OrderId { get; init; }
    public required string TrackingNumber { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
