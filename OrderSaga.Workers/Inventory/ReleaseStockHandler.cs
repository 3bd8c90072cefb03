using Microsoft.EntityFrameworkCore;
using OrderSaga.Data;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;

namespace OrderSaga.Workers.Inventory;

/// <summary>
/// PaymentFailed → the compensation: give back exactly what this order reserved, once, and say so with
/// InventoryReleased (also when there was nothing to give back, so the order is cancelled all the same).
/// </summary>
public sealed class ReleaseStockHandler(SagaUnitOfWork work, TimeProvider time, ILogger<ReleaseStockHandler> logger) : IEventHandler<PaymentFailed>
{
    public async Task HandleAsync(SagaEvent<PaymentFailed> @event, CancellationToken cancellationToken)
    {
        var reservations = await work.Db.StockReservations
            .Where(reservation => reservation.OrderId == @event.OrderId && reservation.ReleasedAt == null)
            .OrderBy(reservation => reservation.ProductId)
            .ToListAsync(cancellationToken);
        if (reservations.Count == 0)
        {
            // Still answered: the order waits for InventoryReleased to be cancelled, and would wait for ever.
            logger.LogWarning("Order {OrderId} has no reserved stock to give back; releasing nothing", @event.OrderId);
        }

        var releasedAt = time.GetUtcNow();
        foreach (var reservation in reservations)
        {
            await work.Db.GiveBackAsync(reservation.ProductId, reservation.Qty, cancellationToken);
            reservation.ReleasedAt = releasedAt;
        }

        work.Publish(@event.OrderId, new InventoryReleased([.. reservations.Select(r => new StockLine(r.ProductId, r.Qty))]));
        logger.LogDebug("Gave back the stock of declined order {OrderId}", @event.OrderId);
    }
}
