using Microsoft.EntityFrameworkCore;
using OrderSaga.Data;
using OrderSaga.Data.Caching;
using OrderSaga.Data.Entities;
using OrderSaga.Data.ReadModels;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Messaging.Storage;
using OrderSaga.Topology;

namespace OrderSaga.Workers.StatusUpdater;

/// <summary>
/// The single writer of order status: every event of the saga becomes an audit row in <c>order_events</c> and
/// moves the order's status forward, in one transaction; the Redis status cache is written through after commit.
/// An order that ends with a step missing from its audit trail gets that step's event published again.
/// </summary>
public sealed class OrderStatusProjector(
    SagaUnitOfWork work, OrderSagaDbContext db, OrderStatusCache cache, OutboxSignal outbox, SagaMetrics metrics, TimeProvider time, ILogger<OrderStatusProjector> logger)
    : IEnvelopeHandler, IPreloadingEventHandler
{
    // Audit rows of this unit of work are not saved until it commits.
    private readonly HashSet<Guid> _recorded = [];

    // Read after the lock: a give-up that committed while this waited is what the batch's events move on from.
    public IEnumerable<BatchQuery> PreloadQueries(IReadOnlyCollection<Guid> orderIds) => [OrderLocks.LockForStatusUpdate(orderIds)];

    public async Task PreloadAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken) =>
        await db.Orders.Include(o => o.Items).Where(o => orderIds.Contains(o.Id)).ToListAsync(cancellationToken);

    /// <summary>Records the event in the order's audit trail and moves its status on, in the caller's unit of work.</summary>
    public async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        db.OrderEvents.Add(new OrderEvent
        {
            EventId = envelope.EventId,
            OrderId = envelope.OrderId,
            Type = envelope.Type,
            Payload = envelope.Payload.GetRawText(),
            OccurredAt = envelope.OccurredAt,
            RecordedAt = now,
        });
        _recorded.Add(envelope.EventId);

        // The batch's orders were preloaded with their items, and Find returns a tracked one without a query
        // (DbSet.Local would scan every tracked entity for changes on each call).
        var order = await db.Orders.FindAsync([envelope.OrderId], cancellationToken);
        if (order is null)
        {
            logger.LogWarning("{EventType} {EventId} names unknown order {OrderId}; audited only", envelope.Type, envelope.EventId, envelope.OrderId);
            return;
        }

        if (Advance(order, envelope.Type, now) && OrderStatus.IsFinal(order.Status) && envelope.Type != EventTypes.OrderExpired)
        {
            await AskForLostStepsAsync(order.Id, now, cancellationToken);
        }

        // A crash between commit and this write leaves an in-flight entry at most its short time-to-live behind.
        // Several events of one order in one transaction need only the last state written.
        work.AfterCommit(OrderStatusCache.Key(order.Id).ToString(), _ => cache.SetAsync(OrderView.Of(order)));
    }

    /// <summary>
    /// Every earlier event of an order reached this consumer before the one that ended it, on the same partition: an
    /// event sent but still not audited was lost on the way (a broker that forgot it, a topic past its retention),
    /// unless this role failed it itself and holds it in its retry rounds or the dead letters. It is published again
    /// with its id; the roles that did handle it skip it by their once-only claims. An order given up is not asked
    /// about: its late events may still be on their way.
    /// </summary>
    private async Task AskForLostStepsAsync(Guid orderId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recorded = _recorded.ToArray();
        var lost = await db.Database.SqlQuery<string>($"""
            UPDATE outbox_messages m SET sent_at = NULL, redriven_at = {now}
            WHERE m.message_key = {orderId.ToString()} AND m.sent_at IS NOT NULL AND m.event_id <> ALL({recorded})
              AND NOT EXISTS (SELECT 1 FROM order_events e WHERE e.event_id = m.event_id)
              AND NOT EXISTS (SELECT 1 FROM failed_events f WHERE f.consumer = {SagaRoles.StatusUpdater} AND f.event_id = m.event_id)
            RETURNING m.event_type AS "Value"
            """).ToListAsync(cancellationToken);
        foreach (var eventType in lost)
        {
            logger.LogWarning("Order {OrderId} ended without {EventType} in its audit trail; publishing it again", orderId, eventType);
            metrics.OrderRedriven(eventType);
        }

        if (lost.Count > 0)
        {
            work.AfterCommit(nameof(OutboxSignal), _ =>
            {
                outbox.Notify();
                return Task.CompletedTask;
            });
        }
    }

    /// <summary>Moves the order's status on as the event says; false when it stays where it was.</summary>
    private bool Advance(Order order, string eventType, DateTimeOffset now)
    {
        var current = new OrderState(order.Status, order.CancelReason);
        var next = OrderStatusMachine.Apply(current, eventType);
        if (next == current)
        {
            return false;
        }

        order.Status = next.Status;
        order.CancelReason = next.CancelReason;
        order.UpdatedAt = now;
        logger.LogDebug("Order {OrderId}: {From} -> {To} on {EventType}", order.Id, current.Status, next.Status, eventType);

        if (next.IsTerminal)
        {
            metrics.OrderCompleted((next.CancelReason ?? next.Status).ToLowerInvariant(), now - order.CreatedAt);
        }

        return true;
    }
}
