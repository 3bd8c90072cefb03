using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;
using PaymentRow = OrderSaga.Data.Entities.Payment;

namespace OrderSaga.Workers.Payment;

/// <summary>InventoryReserved → one payments row per order, then PaymentCompleted or PaymentFailed.</summary>
public sealed class ChargePaymentHandler(SagaUnitOfWork work, PaymentDecider decider, TimeProvider time, ILogger<ChargePaymentHandler> logger)
    : IEventHandler<InventoryReserved>
{
    public Task HandleAsync(SagaEvent<InventoryReserved> @event, CancellationToken cancellationToken)
    {
        var decision = decider.Decide(@event.Payload.UserId);
        var payment = new PaymentRow
        {
            Id = Guid.CreateVersion7(),
            OrderId = @event.OrderId,
            Amount = @event.Payload.Total,
            Status = decision.Approved ? "APPROVED" : "DECLINED",
            DeclineReason = decision.DeclineReason,
            CreatedAt = time.GetUtcNow(),
        };
        work.Db.Payments.Add(payment);

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
