using Microsoft.EntityFrameworkCore;

namespace OrderSaga.Data;

/// <summary>
/// How a step and the reconciler agree on an order they might both act on. A step reads the order under a
/// key-share lock, which status updates do not wait for but the reconciler's give-up does: either the give-up
/// commits first and the step sees the order cancelled, or the step commits first and the reconciler sees its effect.
/// </summary>
public static class OrderLocks
{
    /// <summary>Whether the order is cancelled, read under a lock held until the caller's transaction ends.</summary>
    public static async Task<bool> IsCancelledAsync(this OrderSagaDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<string>($"""SELECT status AS "Value" FROM orders WHERE id = {orderId} FOR KEY SHARE""")
            .SingleOrDefaultAsync(cancellationToken) == OrderStatuses.Cancelled;

    /// <summary>Locks the order for the reconciler's give-up, waiting for every step that holds it to finish.</summary>
    public static async Task LockForGiveUpAsync(this OrderSagaDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM orders WHERE id = {orderId} FOR UPDATE", cancellationToken);
}
