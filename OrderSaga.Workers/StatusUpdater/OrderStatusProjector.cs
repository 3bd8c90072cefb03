using Microsoft.EntityFrameworkCore;
using OrderSaga.Data;
using OrderSaga.Data.Caching;
using OrderSaga.Data.Entities;
using OrderSaga.Data.ReadModels;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;

namespace OrderSaga.Workers.StatusUpdater;

/// <summary>
/// The single writer of order status: every event becomes an audit row in <c>order_events</c> and moves the
/// order's status forward, in one transaction; the Redis status cache is then written through.
/// </summary>
public sealed class OrderStatusProjector(SagaUnitOfWork work, OrderStatusCache cache, SagaMetrics metrics, TimeProvider time, ILogger<OrderStatusProjector> logger)
    : IEventHandler
{
    public const string Consumer = "status-updater";

    public async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        await work.ExecuteOnceAsync(Consumer, envelope.EventId, async (_, token) =>
        {
            var now = time.GetUtcNow();
            work.Db.OrderEvents.Add(new OrderEvent
            {
                EventId = envelope.EventId,
                OrderId = envelope.OrderId,
                Type = envelope.Type,
                Payload = envelope.Payload.GetRawText(),
                OccurredAt = envelope.OccurredAt,
                RecordedAt = now,
            });

            var order = await work.Db.Orders.SingleOrDefaultAsync(o => o.Id == envelope.OrderId, token);
            if (order is null)
            {
                logger.LogWarning("{EventType} {EventId} names unknown order {OrderId}; audited only", envelope.Type, envelope.EventId, envelope.OrderId);
                return;
            }

            Advance(order, envelope.Type, now);
        }, cancellationToken);

        // Also after a redelivery: a crash between commit and cache write must not leave the cache stale.
        if (await work.Db.FindOrderViewAsync(envelope.OrderId, cancellationToken) is { } view)
        {
            await cache.SetAsync(view);
        }
    }

    private void Advance(Order order, string eventType, DateTimeOffset now)
    {
        var current = new OrderState(order.Status, order.CancelReason);
        var next = OrderStatusMachine.Apply(current, eventType);
        if (next == current)
        {
            return;
        }

        order.Status = next.Status;
        order.CancelReason = next.CancelReason;
        order.UpdatedAt = now;
        logger.LogInformation("Order {OrderId}: {From} -> {To} on {EventType}", order.Id, current.Status, next.Status, eventType);

        if (next.IsTerminal)
        {
            metrics.OrderCompleted((next.CancelReason ?? next.Status).ToLowerInvariant(), now - order.CreatedAt);
        }
    }
}
