using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Topology;

namespace OrderSaga.Data.StuckOrders;

/// <summary>An order whose latest event was published again, and which event that was.</summary>
public sealed record RedrivenOrder(Guid OrderId, string EventType);

/// <summary>
/// Drives on orders whose next step was lost after their event left the outbox (a broker that lost messages, a
/// topic past its retention): an order in flight that has not moved for a while gets its latest event published
/// again, with the same event id. The consumer that should have acted on it does so now; every other consumer's
/// once-only claim absorbs the repeat. The row is marked <c>redriven_at</c>, so what needed this is visible.
/// </summary>
public sealed class StuckOrderRedrive(OrderSagaDbContext db, OutboxSignal outbox, SagaMetrics metrics, TimeProvider time, ILogger<StuckOrderRedrive> logger)
{
    /// <summary>
    /// Takes the stuck orders ({0} idle since, {1} at most) and clears the sent mark of each one's latest event, stamped
    /// {2}. The latest event is re-sent only if it was sent a while ago: one still pending is the relay's business, and
    /// one re-sent by an earlier round waits another idle period before it is tried again.
    /// </summary>
    private const string RedriveSql = $$"""
    WITH stuck AS (
        SELECT id FROM orders
        WHERE {{OrderStatus.InFlightSql}} AND updated_at < {0}
        ORDER BY updated_at
        LIMIT {1}
        FOR UPDATE SKIP LOCKED),
    latest AS (
        SELECT latest.id, stuck.id AS order_id, latest.event_type
        FROM stuck CROSS JOIN LATERAL (
            SELECT m.id, m.event_type, m.sent_at FROM outbox_messages m
            WHERE m.message_key = stuck.id::text
            ORDER BY m.id DESC LIMIT 1) latest
        WHERE latest.sent_at < {0})
    UPDATE outbox_messages m SET sent_at = NULL, redriven_at = {2}
    FROM latest WHERE m.id = latest.id
    RETURNING latest.order_id, latest.event_type
    """;

    /// <summary>Re-sends the latest event of at most <paramref name="batchSize"/> orders idle for <paramref name="idleFor"/>.</summary>
    public async Task<IReadOnlyList<RedrivenOrder>> RedriveAsync(TimeSpan idleFor, int batchSize, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var idleSince = now - idleFor;
        var redriven = await db.Database.SqlQueryRaw<RedrivenOrder>(RedriveSql, idleSince, batchSize, now).ToListAsync(cancellationToken);

        foreach (var order in redriven)
        {
            logger.LogWarning("Order {OrderId} has not moved for {IdleFor}; publishing its latest event {EventType} again",
                order.OrderId, idleFor, order.EventType);
            metrics.OrderRedriven(order.EventType);
        }

        if (redriven.Count > 0)
        {
            outbox.Notify();
        }

        return redriven;
    }
}
