using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderSaga.Data;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Hosting;
using OrderSaga.Messaging.Outbox;

namespace OrderSaga.Workers.StatusUpdater;

/// <summary>
/// Brings home orders whose next step was lost after its event left the outbox (a broker that lost messages, a
/// topic deleted or past retention): an order in flight that has not moved for <see cref="ReconcilerOptions.StuckAfter"/>
/// gets its latest event published again, with the same event id. The consumer that should have acted on it does
/// so now; every other consumer's once-only claim absorbs the repeat. An order that is still not paid
/// <see cref="ReconcilerOptions.GiveUpAfter"/> after it was placed is given up: cancelled as TIMED_OUT, and
/// OrderExpired tells inventory to give its stock back.
/// </summary>
public sealed class StuckOrderReconciler(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    SagaMetrics metrics,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<StuckOrderReconciler> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await GiveUpAsync(options.Value, cancellationToken);
        await ReconcileAsync(options.Value, cancellationToken);
    }

    private async Task GiveUpAsync(ReconcilerOptions settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> expired;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrderSagaDbContext>();
            var placedBefore = Time.GetUtcNow() - settings.GiveUpAfter;
            expired = await db.Orders
                .Where(order => (order.Status == OrderStatuses.Created || order.Status == OrderStatuses.InventoryReserved) && order.CreatedAt < placedBefore)
                .OrderBy(order => order.CreatedAt)
                .Select(order => order.Id)
                .Take(settings.BatchSize)
                .ToListAsync(cancellationToken);
        }

        foreach (var orderId in expired)
        {
            await GiveUpAsync(orderId, settings, cancellationToken);
        }
    }

    /// <summary>One order in its own transaction, under the lock every step that might act on it holds meanwhile.</summary>
    private async Task GiveUpAsync(Guid orderId, ReconcilerOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var work = scope.ServiceProvider.GetRequiredService<SagaUnitOfWork>();
        var projector = scope.ServiceProvider.GetRequiredService<OrderStatusProjector>();
        var givenUp = await work.ExecuteAsync(async token =>
        {
            await work.Db.LockForGiveUpAsync(orderId, token);
            var order = await work.Db.Orders.Include(o => o.Items).SingleAsync(o => o.Id == orderId, token);
            // Read after the lock: a payment committed while we waited is seen here, and the order is left to finish.
            if (order.Status is not (OrderStatuses.Created or OrderStatuses.InventoryReserved)
                || await work.Db.Payments.AnyAsync(payment => payment.OrderId == orderId, token))
            {
                return null;
            }

            var expiry = EventEnvelope.Create(orderId, new OrderExpired(CancelReasons.TimedOut), Time);
            var status = order.Status;
            await projector.ProjectAsync(expiry, token);
            work.Publish(expiry);
            return status;
        }, cancellationToken);

        if (givenUp is not null)
        {
            metrics.OrderGivenUp(givenUp);
            logger.LogWarning("Order {OrderId} was still {Status} {GiveUpAfter} after it was placed; cancelled it as {CancelReason} and asked for its stock back",
                orderId, givenUp, settings.GiveUpAfter, CancelReasons.TimedOut);
        }
    }

    private async Task ReconcileAsync(ReconcilerOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderSagaDbContext>();
        var stuckBefore = Time.GetUtcNow() - settings.StuckAfter;
        // The latest event is re-sent only if it was sent a while ago: one still pending is the relay's business,
        // and one re-sent by an earlier round waits another StuckAfter before it is tried again.
        var redriven = await db.Database.SqlQuery<RedrivenEvent>($"""
            WITH stuck AS (
                SELECT id FROM orders
                WHERE status NOT IN ('SHIPPED', 'CANCELLED') AND updated_at < {stuckBefore}
                ORDER BY updated_at
                LIMIT {settings.BatchSize}
                FOR UPDATE SKIP LOCKED),
            latest AS (
                SELECT latest.id, stuck.id AS order_id, latest.event_type
                FROM stuck CROSS JOIN LATERAL (
                    SELECT m.id, m.event_type, m.sent_at FROM outbox_messages m
                    WHERE m.message_key = stuck.id::text
                    ORDER BY m.id DESC LIMIT 1) latest
                WHERE latest.sent_at < {stuckBefore})
            UPDATE outbox_messages m SET sent_at = NULL
            FROM latest WHERE m.id = latest.id
            RETURNING latest.order_id, latest.event_type
            """).ToListAsync(cancellationToken);

        foreach (var order in redriven)
        {
            logger.LogWarning("Order {OrderId} has not moved for {StuckAfter}; publishing its latest event {EventType} again",
                order.OrderId, settings.StuckAfter, order.EventType);
            metrics.OrderRedriven(order.EventType);
        }

        if (redriven.Count > 0)
        {
            outbox.Notify();
        }
    }

    private sealed record RedrivenEvent(Guid OrderId, string EventType);
}
