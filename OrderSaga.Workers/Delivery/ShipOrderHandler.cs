using OrderSaga.Data.Entities;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;

namespace OrderSaga.Workers.Delivery;

/// <summary>PaymentCompleted → one shipments row per order with a tracking number, then OrderShipped.</summary>
public sealed class ShipOrderHandler(SagaUnitOfWork work, TimeProvider time, ILogger<ShipOrderHandler> logger) : IEventHandler
{
    public const string Consumer = "delivery.ship";

    public async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        await work.ExecuteOnceAsync(Consumer, envelope.EventId, (_, _) =>
        {
            var shipment = new Shipment
            {
                Id = Guid.CreateVersion7(),
                OrderId = envelope.OrderId,
                TrackingNumber = TrackingNumbers.New(),
                CreatedAt = time.GetUtcNow(),
            };
            work.Db.Shipments.Add(shipment);
            work.Publish(envelope.OrderId, new OrderShipped(shipment.Id, shipment.TrackingNumber));
            logger.LogInformation("Shipped order {OrderId} as {TrackingNumber}", envelope.OrderId, shipment.TrackingNumber);
            return Task.CompletedTask;
        }, cancellationToken);
    }
}
