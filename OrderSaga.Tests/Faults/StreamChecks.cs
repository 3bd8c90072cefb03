using OrderSaga.Tests.Saga;

namespace OrderSaga.Tests.Faults;

/// <summary>What a stream of orders must have left behind, however the services were treated meanwhile.</summary>
public static class StreamChecks
{
    /// <summary>Every request the API took has exactly one order, for the user who asked and the products asked for.</summary>
    public static async Task AssertOneOrderPerAcceptedRequestAsync(SagaDatabase database, StreamOutcome outcome, string[] products)
    {
        Assert.Equal(outcome.Accepted.Count, outcome.OrderIds.Distinct().Count());
        var requested = outcome.Accepted
            .SelectMany(accepted => accepted.Order.Lines.Select(line => $"{accepted.Order.UserId} {line.ProductId}"))
            .GroupBy(pair => pair).Select(group => $"{group.Key} {group.Count()}").Order();
        var stored = await database.ColumnAsync("""
            SELECT concat(o.user_id, ' ', i.product_id, ' ', count(*)) FROM orders o JOIN order_items i ON i.order_id = o.id
            WHERE i.product_id = ANY(@p0) GROUP BY o.user_id, i.product_id
            """, (object)products);
        Assert.Equal(requested, stored.Order());
    }
}
