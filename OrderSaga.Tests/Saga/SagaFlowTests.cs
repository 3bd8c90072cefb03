using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>The three ways an order ends, end to end through every service.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class SagaFlowTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task An_approved_order_is_reserved_paid_and_shipped()
    {
        var product = await Database.CreateProductAsync(stock: 10, price: 12.50m);

        var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [(product, 3)]);
        Assert.Equal(System.Net.HttpStatusCode.Created, placed.StatusCode);
        Assert.Equal("CREATED", placed.Status);
        var order = await Orders.WaitUntilSettledAsync(placed.OrderId);

        Assert.Equal("SHIPPED", order.Status);
        Assert.Null(order.CancelReason);
        Assert.Equal(37.50m, order.Total);
        Assert.Equal([new OrderLineDto(product, 3, 12.50m)], order.Items);
        var events = await Orders.EventsAsync(placed.OrderId);
        Assert.Equal(["OrderCreated", "InventoryReserved", "PaymentCompleted", "OrderShipped"], events.Select(e => e.Type));
        Assert.Equal(7, await Database.StockAsync(product));
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM shipments WHERE order_id = @p0", placed.OrderId));

        // What each event carries: what the next service needs, and what the audit trail shows.
        var created = events[0].Payload;
        Assert.Equal(SagaAppFixture.ApprovedUser, created.GetProperty("user_id").GetString());
        Assert.Equal(37.50m, created.GetProperty("total").GetDecimal());
        var line = Assert.Single(created.GetProperty("items").EnumerateArray());
        Assert.Equal((product, 3, 12.50m), (line.GetProperty("product_id").GetString(), line.GetProperty("qty").GetInt32(), line.GetProperty("unit_price").GetDecimal()));
        var reserved = events[1].Payload;
        Assert.Equal(SagaAppFixture.ApprovedUser, reserved.GetProperty("user_id").GetString());
        Assert.Equal(37.50m, reserved.GetProperty("total").GetDecimal());
        var reservedLine = Assert.Single(reserved.GetProperty("items").EnumerateArray());
        Assert.Equal((product, 3), (reservedLine.GetProperty("product_id").GetString(), reservedLine.GetProperty("qty").GetInt32()));
        var paid = events[2].Payload;
        Assert.Equal(37.50m, paid.GetProperty("amount").GetDecimal());
        Assert.Equal([paid.GetProperty("payment_id").GetGuid().ToString()], await Database.ColumnAsync("SELECT id FROM payments WHERE order_id = @p0", placed.OrderId));
        var shipped = events[3].Payload;
        Assert.Equal([shipped.GetProperty("shipment_id").GetGuid().ToString()], await Database.ColumnAsync("SELECT id FROM shipments WHERE order_id = @p0", placed.OrderId));
        Assert.False(string.IsNullOrWhiteSpace(shipped.GetProperty("tracking_number").GetString()));
    }

    [Fact]
    public async Task An_order_for_a_product_without_stock_is_cancelled_and_reserves_nothing()
    {
        var inStock = await Database.CreateProductAsync(stock: 5);

        var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [(inStock, 2), ("prod-webcam", 1)]);
        var order = await Orders.WaitUntilSettledAsync(placed.OrderId);

        Assert.Equal("CANCELLED", order.Status);
        Assert.Equal("OUT_OF_STOCK", order.CancelReason);
        var events = await Orders.EventsAsync(placed.OrderId);
        Assert.Equal(["OrderCreated", "InventoryFailed"], events.Select(e => e.Type));
        Assert.Equal("prod-webcam", events[1].Payload.GetProperty("product_id").GetString());
        Assert.Equal(5, await Database.StockAsync(inStock));
        Assert.Equal(0, await Database.StockAsync("prod-webcam"));
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM payments WHERE order_id = @p0", placed.OrderId));
    }

    [Fact]
    public async Task A_declined_payment_gives_the_stock_back_and_cancels_the_order()
    {
        var first = await Database.CreateProductAsync(stock: 8);
        var second = await Database.CreateProductAsync(stock: 4);

        var placed = await Orders.PlaceAsync(SagaAppFixture.DeclinedUser, [(first, 3), (second, 4)]);
        var order = await Orders.WaitUntilSettledAsync(placed.OrderId);

        Assert.Equal("CANCELLED", order.Status);
        Assert.Equal("PAYMENT_DECLINED", order.CancelReason);
        var events = await Orders.EventsAsync(placed.OrderId);
        Assert.Equal(["OrderCreated", "InventoryReserved", "PaymentFailed", "InventoryReleased"], events.Select(e => e.Type));
        Assert.Equal(8, await Database.StockAsync(first));
        Assert.Equal(4, await Database.StockAsync(second));
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM shipments WHERE order_id = @p0", placed.OrderId));
        Assert.Equal("CARD_DECLINED", events[2].Payload.GetProperty("reason").GetString());
        // The compensation names exactly what was reserved.
        Assert.Equal([(first, 3), (second, 4)], events[3].Payload.GetProperty("items").EnumerateArray()
            .Select(item => (item.GetProperty("product_id").GetString(), item.GetProperty("qty").GetInt32())).OrderBy(item => item.Item2));
    }

    [Fact]
    public async Task Concurrent_orders_never_take_more_stock_than_there_is()
    {
        var product = await Database.CreateProductAsync(stock: 10);

        var placed = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(_ => Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [(product, 1)])));
        var settled = await Task.WhenAll(placed.Select(order => Orders.WaitUntilSettledAsync(order.OrderId)));

        Assert.Equal(50, settled.Select(o => o.OrderId).Distinct().Count());
        Assert.Equal(10, settled.Count(o => o.Status == "SHIPPED"));
        Assert.Equal(40, settled.Count(o => o is { Status: "CANCELLED", CancelReason: "OUT_OF_STOCK" }));
        Assert.Equal(0, await Database.StockAsync(product));
        Assert.Equal(10, await Database.CountAsync("SELECT coalesce(sum(qty), 0) FROM stock_reservations WHERE product_id = @p0", product));
        Assert.Empty(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = 10 }));
    }
}
