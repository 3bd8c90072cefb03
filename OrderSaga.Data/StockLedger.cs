using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderSaga.Messaging.Storage;

namespace OrderSaga.Data;

/// <summary>
/// The only code that changes <c>products.stock</c>. Each statement is atomic in SQL, so concurrent orders can
/// never take more than there is, and stock never goes negative.
/// </summary>
public static class StockLedger
{
    /// <summary>
    /// Takes every line or none, in one statement. Returns null when all were taken, or the first product (in
    /// ordinal order) that was short, and then nothing is taken.
    /// </summary>
    /// <remarks>
    /// The products are locked in id order before any is changed, so two orders for the same products cannot
    /// deadlock, and the check reads the stock as it is once locked. Lines of one product count together.
    /// </remarks>
    public static async Task<string?> TryTakeAllAsync(this OrderSagaDbContext db, IReadOnlyList<(string ProductId, int Qty)> lines, CancellationToken cancellationToken)
    {
        var products = lines.Select(line => line.ProductId).ToArray();
        var quantities = lines.Select(line => line.Qty).ToArray();
        var shortOf = await db.Database.SqlQuery<string>($"""
            WITH wanted AS (SELECT id, SUM(qty) AS qty FROM unnest({products}, {quantities}) AS line(id, qty) GROUP BY id),
                 locked AS MATERIALIZED (SELECT p.id, p.stock FROM products p JOIN wanted w ON w.id = p.id ORDER BY p.id COLLATE "C" FOR UPDATE OF p),
                 short AS (SELECT w.id FROM wanted w LEFT JOIN locked l ON l.id = w.id WHERE l.stock IS NULL OR l.stock < w.qty),
                 taken AS (UPDATE products p SET stock = p.stock - w.qty FROM wanted w
                           WHERE p.id = w.id AND NOT EXISTS (SELECT 1 FROM short) RETURNING p.id)
            SELECT id AS "Value" FROM short ORDER BY id COLLATE "C" LIMIT 1
            """).ToListAsync(cancellationToken);
        return shortOf.FirstOrDefault();
    }

    /// <summary>
    /// Locks the stock of every product these orders ask for, in id order, until the transaction ends. A transaction
    /// that then takes stock for the orders one after another never holds one product while it waits for another,
    /// so two of them cannot deadlock over a batch of orders.
    /// </summary>
    public static BatchQuery LockStockFor(IReadOnlyCollection<Guid> orderIds) =>
        BatchQuery.Ignoring(new NpgsqlBatchCommand("""
            SELECT 1 FROM products
            WHERE id IN (SELECT product_id FROM order_items WHERE order_id = ANY($1))
            ORDER BY id COLLATE "C" FOR UPDATE
            """)
        {
            Parameters = { new NpgsqlParameter { Value = orderIds.ToArray() } },
        });

    public static async Task GiveBackAsync(this OrderSagaDbContext db, string productId, int qty, CancellationToken cancellationToken)
    {
        var updated = await db.Database.ExecuteSqlAsync(
            $"UPDATE products SET stock = stock + {qty} WHERE id = {productId}",
            cancellationToken);
        if (updated != 1)
        {
            throw new InvalidOperationException($"Cannot give back stock of unknown product {productId}.");
        }
    }
}
