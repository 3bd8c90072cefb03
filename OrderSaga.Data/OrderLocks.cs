using Microsoft.EntityFrameworkCore;

namespace OrderSaga.Data;

/// <summary>
/// How a step and the reconciler agree on an order they might both act on. A step reads the order under a
/// key-share lock, which status updates do not wait for but the reconciler's give-up does: either the give-up
/// commits first and the step sees the order cancelled, or the step commits first and the reconciler sees its effect.
/// </summary>
public static class OrderLocks
{
    /// <summary>
    /// Locks a batch's orders for its steps in one statement, in id order (so two batches never wait on each other
    /// in a cycle), until the caller's transaction ends.
    /// </summary>
    public static async Task<LockedOrders> LockForStepsAsync(this OrderSagaDbContext db, IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken)
    {
        var ids = orderIds.ToArray();
        var cancelled = await db.Database.SqlQuery<Guid>($"""
            WITH locked AS MATERIALIZED (SELECT id, status FROM orders WHERE id = ANY({ids}) ORDER BY id FOR KEY SHARE)
            SELECT id AS "Value" FROM locked WHERE status = {OrderStatuses.Cancelled}
            """).ToListAsync(cancellationToken);
        return new LockedOrders([.. ids], [.. cancelled]);
    }

    /// <summary>Locks the order for the reconciler's give-up, waiting for every step that holds it to finish.</summary>
    public static async Task LockForGiveUpAsync(this OrderSagaDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM orders WHERE id = {orderId} FOR UPDATE", cancellationToken);
}

/// <summary>The orders a step's transaction holds under <see cref="OrderLocks.LockForStepsAsync"/>, and which of them are cancelled.</summary>
public sealed class LockedOrders(HashSet<Guid> locked, HashSet<Guid> cancelled)
{
    public static readonly LockedOrders None = new([], []);

    /// <summary>Whether the order is cancelled; only an order this transaction has locked can be asked about.</summary>
    public bool IsCancelled(Guid orderId) => locked.Contains(orderId)
        ? cancelled.Contains(orderId)
        : throw new InvalidOperationException($"Order {orderId} was not locked for this step; lock a batch's orders before its steps run.");
}
