using Microsoft.EntityFrameworkCore;

namespace OrderSaga.Data;

/// <summary>
/// The only code that changes <c>products.stock</c>. Each statement is atomic in SQL, so concurrent orders can
/// never take more than there is, and stock never goes negative.
/// </summary>
public static class StockLedger
{
    /// <summary>Takes <paramref name="qty"/> if that much is in stock; false (and nothing changed) otherwise.</summary>
    public static async Task<bool> TryTakeAsync(this OrderSagaDbContext db, string productId, int qty, CancellationToken cancellationToken) =>
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
