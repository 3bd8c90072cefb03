using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderSaga.Messaging.Storage;
using OrderSaga.Topology;

namespace OrderSaga.Data;

/// <summary>
/// How the steps, the status-updater and the reconciler agree on an order they might act on at once. A step reads
/// the order under a key-share lock, which status updates do not wait for but the reconciler's give-up does: either
/// the give-up commits first and the step sees the order cancelled, or the step commits first and the reconciler
/// sees its effect. The status-updater holds its batch's orders from before it reads them until it commits, so it
/// and the give-up take turns: neither writes a status computed from a row the other has changed meanwhile.
/// </summary>
public static class OrderLocks
{
    /// <summary>
    /// Locks a batch's orders for its steps, in id order (so two batches never wait on each other in a cycle), until
    /// the transaction ends; <paramref name="locked"/> is told which of them are cancelled.
    /// </summary>
    public static BatchQuery LockForSteps(IReadOnlyCollection<Guid> orderIds, Action<LockedOrders> locked)
    {
        var ids = orderIds.ToArray();
        var command = new NpgsqlBatchCommand("""
            WITH locked AS MATERIALIZED (SELECT id, status FROM orders WHERE id = ANY($1) ORDER BY id FOR KEY SHARE)
            SELECT id FROM locked WHERE status = $2
            """)
        {
            Parameters = { new NpgsqlParameter { Value = ids }, new NpgsqlParameter { Value = OrderStatus.Cancelled } },
        };
        return new BatchQuery(command, async (reader, cancellationToken) =>
        {
            var cancelled = new HashSet<Guid>();
            while (await reader.ReadAsync(cancellationToken))
            {
                cancelled.Add(reader.GetGuid(0));
            }

            locked(new LockedOrders([.. ids], cancelled));
        });
    }

    /// <summary>
    /// Locks a batch's orders for the status-updater, in id order, until the transaction ends: it waits for a give-up
    /// in progress and a give-up waits for it, while steps (key-share) go on beside it.
    /// </summary>
    public static BatchQuery LockForStatusUpdate(IReadOnlyCollection<Guid> orderIds) =>
        BatchQuery.Ignoring(new NpgsqlBatchCommand("SELECT id FROM orders WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
        {
            Parameters = { new NpgsqlParameter { Value = orderIds.ToArray() } },
        });

    /// <summary>Locks the order for the reconciler's give-up, waiting for every step and status update that holds it to finish.</summary>
    public static async Task LockForGiveUpAsync(this OrderSagaDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM orders WHERE id = {orderId} FOR UPDATE", cancellationToken);
}

/// <summary>The orders a step's transaction holds under <see cref="OrderLocks.LockForSteps"/>, and which of them are cancelled.</summary>
public sealed class LockedOrders(HashSet<Guid> locked, HashSet<Guid> cancelled)
{
    public static readonly LockedOrders None = new([], []);

    /// <summary>Whether the order is cancelled; only an order this transaction has locked can be asked about.</summary>
    public bool IsCancelled(Guid orderId) => locked.Contains(orderId)
        ? cancelled.Contains(orderId)
        : throw new InvalidOperationException($"Order {orderId} was not locked for this step; lock a batch's orders before its steps run.");
}
