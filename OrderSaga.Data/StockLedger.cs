using Microsoft.EntityFrameworkCore;

namespace OrderSaga.Data;

/// <summary>
/// The only code that changes <c>products.stock</c>. Each statement is atomic in SQL, so concurrent orders can
/// never take more than there is, and stock never goes negative.
/// </summary>
public static class StockLedger
{
    private const string BeforeTaking = "before_taking_stock";

    /// <summary>
    /// Takes every line or none, inside the caller's transaction. Returns null when all were taken, or the first
    /// product that was short (and then nothing is taken).
    /// </summary>
    public static async Task<string?> TryTakeAllAsync(this OrderSagaDbContext db, IReadOnlyList<(string ProductId, int Qty)> lines, CancellationToken cancellationToken)
    {
        if (lines is [var only])
        {
            // One statement takes all or nothing by itself.
            return await db.TryTakeAsync(only.ProductId, only.Qty, cancellationToken) ? null : only.ProductId;
        }

        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Taking stock for several lines needs a transaction to undo a partial take.");
        await transaction.CreateSavepointAsync(BeforeTaking, cancellationToken);
        // Rows are always locked in the same order, so two orders for the same products cannot deadlock.
        foreach (var line in lines.OrderBy(line => line.ProductId, StringComparer.Ordinal))
        {
            if (!await db.TryTakeAsync(line.ProductId, line.Qty, cancellationToken))
            {
                await transaction.RollbackToSavepointAsync(BeforeTaking, cancellationToken);
                return line.ProductId;
            }
        }

        await transaction.ReleaseSavepointAsync(BeforeTaking, cancellationToken);
        return null;
    }

    /// <summary>Takes <paramref name="qty"/> if that much is in stock; false (and nothing changed) otherwise.</summary>
    private static async Task<bool> TryTakeAsync(this OrderSagaDbContext db, string productId, int qty, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"UPDATE products SET stock = stock - {qty} WHERE id = {productId} AND stock >= {qty}",
            cancellationToken) == 1;

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
