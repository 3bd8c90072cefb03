using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;
using PaymentRow = OrderSaga.Data.Entities.Payment;

namespace OrderSaga.Workers.Payment;

/// <summary>InventoryReserved → one payments row per order, then PaymentCompleted or PaymentFailed.</summary>
public sealed class ChargePaymentHandler(SagaUnitOfWork work, PaymentDecider decider, TimeProvider time, ILogger<ChargePaymentHandler> logger) : IEventHandler
{
    public const string Consumer = "payment.charge";

    public async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var reserved = envelope.PayloadAs<InventoryReserved>();

        await work.ExecuteOnceAsync(Consumer, envelope.EventId, (_, _) =>
        {
            var decision = decider.Decide(reserved.UserId);
            var payment = new PaymentRow
            {
                Id = Guid.CreateVersion7(),
                OrderId = envelope.OrderId,
                Amount = reserved.Total,
                Status = decision.Approved ? "APPROVED" : "DECLINED",
                DeclineReason = decision.DeclineReason,
                CreatedAt = time.GetUtcNow(),
            };
            work.Db.Payments.Add(payment);

            if (decision.Approved)
            {
                work.Publish(envelope.OrderId, new PaymentCompleted(payment.Id, payment.Amount));
            }
            else
            {
                work.Publish(envelope.OrderId, new PaymentFailed(decision.DeclineReason!));
            }

            logger.LogInformation("Payment of {Amount} for order {OrderId}: {Status}", payment.Amount, envelope.OrderId, payment.Status);
            return Task.CompletedTask;
        }, cancellationToken);
    }
}
