using OrderSaga.Data;
using OrderSaga.Data.Entities;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;

namespace OrderSaga.Workers.Delivery;

/// <summary>PaymentCompleted → one shipments row per order with a tracking number, then OrderShipped.</summary>
public sealed class ShipOrderHandler(SagaUnitOfWork work, OrderSagaDbContext db, TimeProvider time, ILogger<ShipOrderHandler> logger) : IEventHandler<PaymentCompleted>
{
    public Task HandleAsync(SagaEvent<PaymentCompleted> @event, CancellationToken cancellationToken)
    {
        var shipment = new Shipment
        {
            Id = Guid.CreateVersion7(),
            OrderId = @event.OrderId,
            TrackingNumber = TrackingNumbers.New(),
            CreatedAt = time.GetUtcNow(),
        };
        db.Shipments.Add(shipment);
        work.Publish(@event.OrderId, new OrderShipped(shipment.Id, shipment.TrackingNumber));
        logger.LogDebug("Shipped order {OrderId} as {TrackingNumber}", @event.OrderId, shipment.TrackingNumber);
        return Task.CompletedTask;
    }
}
