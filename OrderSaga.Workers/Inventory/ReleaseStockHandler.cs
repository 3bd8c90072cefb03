using Microsoft.EntityFrameworkCore;
using OrderSaga.Data;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;

namespace OrderSaga.Workers.Inventory;

/// <summary>
/// PaymentFailed or OrderExpired → the compensation: give back exactly what this order reserved, once, and say so
/// with InventoryReleased (also when there was nothing to give back, so a declined order is cancelled all the same).
/// </summary>
public sealed class ReleaseStockHandler(SagaUnitOfWork work, OrderSagaDbContext db, TimeProvider time, ILogger<ReleaseStockHandler> logger)
    : IEventHandler<PaymentFailed>, IEventHandler<OrderExpired>
{
    public Task HandleAsync(SagaEvent<PaymentFailed> @event, CancellationToken cancellationToken) => ReleaseAsync(@event.OrderId, cancellationToken);

    public Task HandleAsync(SagaEvent<OrderExpired> @event, CancellationToken cancellationToken) => ReleaseAsync(@event.OrderId, cancellationToken);

    private async Task ReleaseAsync(Guid orderId, CancellationToken cancellationToken)
    {
        // Filtered again once loaded: a release earlier in the batch marked its rows only on the tracked entities.
        var reservations = (await db.StockReservations
            .Where(reservation => reservation.OrderId == orderId && reservation.ReleasedAt == null)
            .OrderBy(reservation => reservation.ProductId)
            .ToListAsync(cancellationToken))
            .Where(reservation => reservation.ReleasedAt == null)
            .ToList();
        if (reservations.Count == 0)
        {
            // Still answered: the order waits for InventoryReleased to be cancelled, and would wait for ever.
            logger.LogWarning("Order {OrderId} has no reserved stock to give back; releasing nothing", orderId);
        }

        var releasedAt = time.GetUtcNow();
        foreach (var reservation in reservations)
        {
            await db.GiveBackAsync(reservation.ProductId, reservation.Qty, cancellationToken);
            reservation.ReleasedAt = releasedAt;
        }

        work.Publish(orderId, new InventoryReleased([.. reservations.Select(r => new StockLine(r.ProductId, r.Qty))]));
        logger.LogDebug("Gave back the stock of cancelled order {OrderId}", orderId);
    }
}
