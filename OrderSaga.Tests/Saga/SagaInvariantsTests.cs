using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>The invariant checker that tests and the benchmark trust: quiet on a correct saga, loud on each kind of damage.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class SagaInvariantsTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task Settled_orders_of_every_outcome_keep_the_invariants()
    {
        var (product, _) = await SettleOneOfEachAsync();

        Assert.Empty(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = 3 }));
    }

    [Fact]
    public async Task Stock_that_vanished_is_found()
    {
        var (product, _) = await SettleOneOfEachAsync();
        await Database.ExecuteAsync("UPDATE products SET stock = stock - 1 WHERE id = @p0", product);

        Assert.Contains(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = 3 }),
            violation => violation.StartsWith("stock not conserved"));
    }

    [Fact]
    public async Task A_shipped_order_whose_stock_was_given_back_is_found()
    {
        var (product, shipped) = await SettleOneOfEachAsync();
        await Database.ExecuteAsync("UPDATE stock_reservations SET released_at = now() WHERE order_id = @p0", shipped);
        await Database.ExecuteAsync("UPDATE products SET stock = stock + 1 WHERE id = @p0", product);

        var violations = await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = 3 });

        Assert.Contains(violations, violation => violation.StartsWith("status not explained") && violation.Contains(shipped.ToString()));
    }

    [Fact]
    public async Task An_audit_row_recorded_twice_is_found()
    {
        var (product, shipped) = await SettleOneOfEachAsync();
        await Database.ExecuteAsync("""
            INSERT INTO order_events (event_id, order_id, type, payload, occurred_at, recorded_at)
            SELECT gen_random_uuid(), order_id, type, payload, occurred_at, recorded_at FROM order_events
            WHERE order_id = @p0 AND type = 'PaymentCompleted'
            """, shipped);

        Assert.Contains(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = 3 }),
            violation => violation.StartsWith("audit row twice") && violation.Contains(shipped.ToString()));
    }

    /// <summary>On a product with stock 3: one order shipped, one declined, one out of stock.</summary>
    private async Task<(string Product, Guid Shipped)> SettleOneOfEachAsync()
    {
        var product = await Database.CreateProductAsync(stock: 3);
        var shipped = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [(product, 1)]);
        var declined = await Orders.PlaceAsync(SagaAppFixture.DeclinedUser, [(product, 1)]);
        Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(shipped.OrderId)).Status);
        Assert.Equal("CANCELLED", (await Orders.WaitUntilSettledAsync(declined.OrderId)).Status);
        var outOfStock = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [(product, 3)]);
        Assert.Equal("OUT_OF_STOCK", (await Orders.WaitUntilSettledAsync(outOfStock.OrderId)).CancelReason);
        return (product, shipped.OrderId);
    }
}
