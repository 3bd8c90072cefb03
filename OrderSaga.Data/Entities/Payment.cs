namespace OrderSaga.Data.Entities;

public sealed class Payment
{
    public Guid Id { get; init; }
    public Guid OrderId { get; init; }
    public decimal Amount { get; init; }
    public required string Status { get; init; }
    public string? DeclineReason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
