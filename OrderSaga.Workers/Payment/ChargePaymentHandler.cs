using OrderSaga.Data;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Messaging.Storage;
using OrderSaga.Topology;
using PaymentRow = OrderSaga.Data.Entities.Payment;

namespace OrderSaga.Workers.Payment;

/// <summary>
/// InventoryReserved → one payments row per order, then PaymentCompleted or PaymentFailed; nothing for an order
/// the reconciler has already given up.
/// </summary>
public sealed class ChargePaymentHandler(SagaUnitOfWork work, OrderSagaDbContext db, PaymentDecider decider, TimeProvider time, ILogger<ChargePaymentHandler> logger)
    : IEventHandler<InventoryReserved>, IPreloadingEventHandler
{
    private LockedOrders _locked = LockedOrders.None;

    public IEnumerable<BatchQuery> PreloadQueries(IReadOnlyCollection<Guid> orderIds) =>
        [OrderLocks.LockForSteps(orderIds, locked => _locked = locked)];

    public Task HandleAsync(SagaEvent<InventoryReserved> @event, CancellationToken cancellationToken)
    {
        if (_locked.IsCancelled(@event.OrderId))
        {
            logger.LogInformation("Order {OrderId} was cancelled before it was charged; not charging it", @event.OrderId);
            return Task.CompletedTask;
        }

        var decision = decider.Decide(@event.Payload.UserId);
        var payment = new PaymentRow
        {
            Id = Guid.CreateVersion7(),
            OrderId = @event.OrderId,
            Amount = @event.Payload.Total,
            Status = decision.Approved ? PaymentStatus.Approved : PaymentStatus.Declined,
            DeclineReason = decision.DeclineReason,
            CreatedAt = time.GetUtcNow(),
        };
        db.Payments.Add(payment);

        if (decision.Approved)
        {
            work.Publish(@event.OrderId, new PaymentCompleted(payment.Id, payment.Amount));
        }
        else
        {
            work.Publish(@event.OrderId, new PaymentFailed(decision.DeclineReason!));
        }

        logger.LogDebug("Payment of {Amount} for order {OrderId}: {Status}", payment.Amount, @event.OrderId, payment.Status);
        return Task.CompletedTask;
    }
}
