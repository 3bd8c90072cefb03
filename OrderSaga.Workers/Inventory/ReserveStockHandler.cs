using OrderSaga.Data;
using OrderSaga.Data.Entities;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Messaging.Storage;
using OrderSaga.Topology;

namespace OrderSaga.Workers.Inventory;

/// <summary>OrderCreated → all lines reserved in one transaction (InventoryReserved), or none (InventoryFailed).</summary>
public sealed class ReserveStockHandler(SagaUnitOfWork work, OrderSagaDbContext db, TimeProvider time, ILogger<ReserveStockHandler> logger)
    : IEventHandler<OrderCreated>, IPreloadingEventHandler
{
    private LockedOrders _locked = LockedOrders.None;

    public IEnumerable<BatchQuery> PreloadQueries(IReadOnlyCollection<Guid> orderIds) =>
        [OrderLocks.LockForSteps(orderIds, locked => _locked = locked), StockLedger.LockStockFor(orderIds)];

    public async Task HandleAsync(SagaEvent<OrderCreated> @event, CancellationToken cancellationToken)
    {
        if (_locked.IsCancelled(@event.OrderId))
        {
            logger.LogInformation("Order {OrderId} was cancelled before its stock was taken; taking none", @event.OrderId);
            return;
        }

        var order = @event.Payload;
        if (await db.TryTakeAllAsync([.. order.Items.Select(line => (line.ProductId, line.Qty))], cancellationToken) is { } shortProduct)
        {
            work.Publish(@event.OrderId, new InventoryFailed(CancelReasons.OutOfStock, shortProduct));
            logger.LogDebug("Order {OrderId} is short of {ProductId}; nothing reserved", @event.OrderId, shortProduct);
            return;
        }

        var reservedAt = time.GetUtcNow();
        db.StockReservations.AddRange(order.Items.Select(line => new StockReservation
        {
            OrderId = @event.OrderId,
            ProductId = line.ProductId,
            Qty = line.Qty,
            ReservedAt = reservedAt,
        }));
        work.Publish(@event.OrderId, new InventoryReserved(order.UserId, [.. order.Items.Select(line => new StockLine(line.ProductId, line.Qty))], order.Total));
        logger.LogDebug("Reserved stock for order {OrderId}", @event.OrderId);
    }
}
