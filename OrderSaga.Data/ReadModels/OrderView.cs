using Microsoft.EntityFrameworkCore;
using OrderSaga.Data.Entities;

namespace OrderSaga.Data.ReadModels;

/// <summary>An order as <c>GET /orders/{id}</c> shows it, and as the status cache holds it.</summary>
public sealed record OrderView(
    Guid OrderId,
    string UserId,
    string Status,
    string? CancelReason,
    IReadOnlyList<OrderViewLine> Items,
    decimal Total,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The view of an order loaded with its items.</summary>
    public static OrderView Of(Order order) => new(
        order.Id,
        order.UserId,
        order.Status,
        order.CancelReason,
        [.. order.Items.OrderBy(item => item.ProductId, StringComparer.Ordinal).Select(item => new OrderViewLine(item.ProductId, item.Qty, item.UnitPrice))],
        order.Total,
        order.CreatedAt,
        order.UpdatedAt);
}

public sealed record OrderViewLine(string ProductId, int Qty, decimal UnitPrice);

public static class OrderViewQueries
{
    public static Task<OrderView?> FindOrderViewAsync(this OrderSagaDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking()
            .Where(order => order.Id == orderId)
            .Select(order => new OrderView(
                order.Id,
                order.UserId,
                order.Status,
                order.CancelReason,
                order.Items.OrderBy(item => item.ProductId).Select(item => new OrderViewLine(item.ProductId, item.Qty, item.UnitPrice)).ToList(),
                order.Total,
                order.CreatedAt,
                order.UpdatedAt))
            .SingleOrDefaultAsync(cancellationToken);
}
