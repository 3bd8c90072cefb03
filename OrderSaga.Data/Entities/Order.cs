namespace OrderSaga.Data.Entities;

public sealed class Order
{
    public Guid Id { get; init; }
    public required string UserId { get; init; }
    public required string Status { get; set; }
    public string? CancelReason { get; set; }
    public decimal Total { get; init; }

    /// <summary>The client's Idempotency-Key, unique per user: the last line of defence against a double submit.</summary>
    public string? IdempotencyKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<OrderItem> Items { get; init; } = [];
}
