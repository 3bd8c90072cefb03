namespace OrderSaga.Data.Entities;

public sealed class OrderItem
{
    public Guid OrderId { get; init; }
    public required string ProductId { get; init; }
    public int Qty { get; init; }
    public decimal UnitPrice { get; init; }
}
