using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>Many customers at once for the last units: the stock SQL decides, not luck.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class ContentionTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private const int OrderCount = 1000;
    private const int Units = 10;
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_thousand_concurrent_orders_for_ten_units_sell_exactly_ten()
    {
        var product = await Database.CreateProductAsync(stock: Units);
        // Five always-approved customers, each within the per-user burst; two inventory consumers take stock side by side.
        var crowd = SagaAppFixture.ApprovedCrowd;
        var run = Guid.NewGuid().ToString("N");

        // Each with an Idempotency-Key, as a careful client sends them: a request retried after a timeout is the same order.
        var placed = await Task.WhenAll(Enumerable.Range(0, OrderCount).Select(i => Orders.PlaceAsync(crowd[i % crowd.Length], [(product, 1)], $"crowd-{run}-{i}")));
        await WaitUntilAllFinalAsync(product);

        Assert.Equal(OrderCount, placed.Select(order => order.OrderId).Distinct().Count());
        // Exactly one order per request: each customer has as many orders as it was answered with, no more.
        Assert.Equal(
            crowd.Select((user, index) => $"{user} {Enumerable.Range(0, OrderCount).Count(i => i % crowd.Length == index)}").Order(),
            (await Database.ColumnAsync("SELECT concat(o.user_id, ' ', count(*)) FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = @p0 GROUP BY o.user_id", product)).Order());
        var outcomes = await OutcomesAsync(product);
        Assert.Equal(Units, outcomes.GetValueOrDefault("SHIPPED"));
        Assert.Equal(OrderCount - Units, outcomes.GetValueOrDefault("OUT_OF_STOCK"));
        Assert.Equal(0, await Database.StockAsync(product));
        Assert.Equal(Units, await Database.CountAsync("SELECT coalesce(sum(qty), 0) FROM stock_reservations WHERE product_id = @p0", product));
        Assert.Empty(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = Units }, [.. placed.Select(order => order.OrderId)]));
    }

    private async Task WaitUntilAllFinalAsync(string product)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        while (await Database.CountAsync(
            $"SELECT count(*) FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = @p0 AND o.{OrderStatus.InFlightSql}", product) is var inFlight and > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{inFlight} orders are still in flight after {SettleTimeout.TotalMinutes} min");
            await Task.Delay(500);
        }
    }

    private async Task<Dictionary<string, long>> OutcomesAsync(string product)
    {
        var outcomes = await Database.ColumnAsync(
            "SELECT coalesce(o.cancel_reason, o.status) FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = @p0", product);
        return outcomes.GroupBy(outcome => outcome).ToDictionary(group => group.Key, group => (long)group.Count());
    }
}
