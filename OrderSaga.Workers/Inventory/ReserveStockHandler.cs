using OrderSaga.Data;
using OrderSaga.Data.Entities;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;

namespace OrderSaga.Workers.Inventory;

/// <summary>OrderCreated → all lines reserved in one transaction (InventoryReserved), or none (InventoryFailed).</summary>
public sealed class ReserveStockHandler(SagaUnitOfWork work, TimeProvider time, ILogger<ReserveStockHandler> logger) : IEventHandler
{
    public const string Consumer = "inventory.reserve";
    private const string BeforeReservation = "before_reservation";

    public async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var order = envelope.PayloadAs<OrderCreated>();
        // Rows are always locked in the same order, so two orders for the same products cannot deadlock.
        var lines = order.Items.OrderBy(line => line.ProductId, StringComparer.Ordinal).ToList();

        await work.ExecuteOnceAsync(Consumer, envelope.EventId, async (transaction, token) =>
        {
            await transaction.CreateSavepointAsync(BeforeReservation, token);
            foreach (var line in lines)
            {
                if (!await work.Db.TryTakeAsync(line.ProductId, line.Qty, token))
                {
                    await transaction.RollbackToSavepointAsync(BeforeReservation, token);
                    work.Publish(envelope.OrderId, new InventoryFailed(CancelReasons.OutOfStock, line.ProductId));
                    logger.LogInformation("Order {OrderId} is short of {ProductId}; nothing reserved", envelope.OrderId, line.ProductId);
                    return;
                }
            }

            var reservedAt = time.GetUtcNow();
            work.Db.StockReservations.AddRange(lines.Select(line => new StockReservation
            {
                OrderId = envelope.OrderId,
                ProductId = line.ProductId,
                Qty = line.Qty,
                ReservedAt = reservedAt,
            }));
            work.Publish(envelope.OrderId, new InventoryReserved(order.UserId, [.. lines.Select(line => new StockLine(line.ProductId, line.Qty))], order.Total));
            logger.LogInformation("Reserved stock for order {OrderId}", envelope.OrderId);
        }, cancellationToken);
    }
}
