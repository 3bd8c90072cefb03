namespace OrderSaga.Data.Entities;

/// <summary>Stock taken for one line of an order; a release gives back exactly this quantity, once.</summary>
public sealed class StockReservation
{
    public Guid OrderId { get; init; }
    public required string ProductId { get; init; }
    public int Qty { get; init; }
    public DateTimeOffset ReservedAt { get; init; }
    public DateTimeOffset? ReleasedAt { get; set; }
}
