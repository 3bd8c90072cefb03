using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OrderSaga.Data;
using OrderSaga.Messaging.Events;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>Orders that could stall for good: one whose event the broker lost, one declined with nothing reserved.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class StuckOrderTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task An_order_whose_OrderCreated_the_broker_lost_is_driven_on_to_its_end()
    {
        var product = await Database.CreateProductAsync(stock: 5);
        var orderId = await PlaceWithLostEventAsync(product);
        using var admin = await Fixture.CreateOperatorClientAsync();

        // The reconciler would do this within StuckOrders:After; an operator need not wait for it.
        using var response = await admin.PostAsync("/operator/stuck-orders/redrive?idle_seconds=30", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var redriven = Assert.Single((await response.Content.ReadFromJsonAsync<List<JsonElement>>())!, order => order.GetProperty("order_id").GetGuid() == orderId);
        Assert.Equal("OrderCreated", redriven.GetProperty("event_type").GetString());
        var settled = await Orders.WaitUntilSettledAsync(orderId);
        Assert.Equal("SHIPPED", settled.Status);
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE message_key = @p0 AND redriven_at IS NOT NULL", orderId.ToString()));
        Assert.Equal(["OrderCreated", "InventoryReserved", "PaymentCompleted", "OrderShipped"], (await Orders.EventsAsync(orderId)).Select(e => e.Type));
        Assert.Empty(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = 5 }));
    }

    [Fact]
    public async Task A_declined_order_that_had_nothing_reserved_is_still_cancelled()
    {
        var product = await Database.CreateProductAsync(stock: 5);
        var orderId = Guid.CreateVersion7();
        await Database.InsertOrderAsync(orderId, SagaAppFixture.DeclinedUser, OrderStatus.InventoryReserved, product);
        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));

        await broker.ProduceAsync(orderId.ToString(), EventEnvelope.Create(orderId, new PaymentFailed("CARD_DECLINED"), TimeProvider.System).ToJson());

        var settled = await Orders.WaitUntilSettledAsync(orderId);
        Assert.Equal(("CANCELLED", "PAYMENT_DECLINED"), (settled.Status, settled.CancelReason));
        Assert.Equal(5, await Database.StockAsync(product));
    }

    [Fact]
    public async Task A_reserved_order_that_cannot_finish_is_given_up_with_its_stock_back_and_is_never_charged()
    {
        var product = await Database.CreateProductAsync(stock: 5);
        // Placed ten minutes ago and reserved, but its InventoryReserved never reached payment.
        var orderId = Guid.CreateVersion7();
        await Database.InsertOrderAsync(orderId, SagaAppFixture.ApprovedUser, OrderStatus.InventoryReserved, product, DateTimeOffset.UtcNow.AddMinutes(-10));
        await Database.ExecuteAsync("""
            WITH taken AS (UPDATE products SET stock = stock - 1 WHERE id = @p1)
            INSERT INTO stock_reservations (order_id, product_id, qty, reserved_at) VALUES (@p0, @p1, 1, now())
            """, orderId, product);

        var settled = await Orders.WaitUntilSettledAsync(orderId);

        Assert.Equal(("CANCELLED", "TIMED_OUT"), (settled.Status, settled.CancelReason));
        await EventuallyAsync("the stock is given back", async () => await Database.StockAsync(product) == 5);
        await EventuallyAsync("the release is audited", async () => (await Orders.EventsAsync(orderId)).Any(e => e.Type == "InventoryReleased"));
        // The lost event turns up after all: a cancelled order is not charged.
        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));
        var late = await broker.ProduceAsync(orderId.ToString(), EventEnvelope.Create(orderId,
            new InventoryReserved(SagaAppFixture.ApprovedUser, [new StockLine(product, 1)], 10m), TimeProvider.System).ToJson());
        await broker.WaitUntilConsumedAsync(late);
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM payments WHERE order_id = @p0", orderId));
        Assert.Equal(("CANCELLED", "TIMED_OUT"), ((await Orders.GetAsync(orderId)).Status, (await Orders.GetAsync(orderId)).CancelReason));
        // Audited like every event, and moving nothing: CANCELLED is final.
        Assert.Equal(["OrderExpired", "InventoryReleased", "InventoryReserved"], (await Orders.EventsAsync(orderId)).Select(e => e.Type));
        Assert.Empty(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = 5 }));
    }

    [Fact]
    public async Task An_order_given_up_before_its_stock_was_taken_takes_none_when_its_event_arrives_late()
    {
        var product = await Database.CreateProductAsync(stock: 5);
        var orderId = Guid.CreateVersion7();
        await Database.InsertOrderAsync(orderId, SagaAppFixture.ApprovedUser, OrderStatus.Created, product, DateTimeOffset.UtcNow.AddMinutes(-10));
        Assert.Equal(("CANCELLED", "TIMED_OUT"), ((await Orders.WaitUntilSettledAsync(orderId)).Status, (await Orders.GetAsync(orderId)).CancelReason));

        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));
        var late = await broker.ProduceAsync(orderId.ToString(), EventEnvelope.Create(orderId,
            new OrderCreated(SagaAppFixture.ApprovedUser, [new OrderLine(product, 1, 10m)], 10m), TimeProvider.System).ToJson());
        await broker.WaitUntilConsumedAsync(late);

        Assert.Equal(5, await Database.StockAsync(product));
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM stock_reservations WHERE order_id = @p0", orderId));
        Assert.Empty(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = 5 }));
    }

    [Fact]
    public async Task Orders_given_up_while_their_payment_races_in_end_charged_and_shipped_or_timed_out_with_their_stock_back()
    {
        const int Count = 30;
        var product = await Database.CreateProductAsync(stock: Count);
        var orders = Enumerable.Range(0, Count).Select(_ => Guid.CreateVersion7()).ToArray();
        // Reserved, their InventoryReserved late, and due to be given up three seconds from now (the tests give up
        // after five minutes); the late events arrive over six seconds, so the give-up meets them mid-stream.
        var placedAt = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(3);
        foreach (var orderId in orders)
        {
            await Database.InsertReservedOrderAsync(orderId, SagaAppFixture.ApprovedUser, product, placedAt);
        }

        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));
        foreach (var orderId in orders)
        {
            await broker.ProduceAsync(orderId.ToString(), EventEnvelope.Create(orderId,
                new InventoryReserved(SagaAppFixture.ApprovedUser, [new StockLine(product, 1)], 10m), TimeProvider.System).ToJson());
            await Task.Delay(TimeSpan.FromSeconds(6.0 / Count));
        }

        var outcomes = new List<(string Status, string? CancelReason)>();
        foreach (var orderId in orders)
        {
            var settled = await Orders.WaitUntilSettledAsync(orderId);
            outcomes.Add((settled.Status, settled.CancelReason));
        }

        // Each one way or the other, never both: charged and shipped, or given up uncharged with its unit back.
        Assert.All(outcomes, outcome => Assert.Contains(outcome, new[] { ("SHIPPED", (string?)null), ("CANCELLED", "TIMED_OUT") }));
        Assert.Contains(("SHIPPED", null), outcomes);
        Assert.Contains(("CANCELLED", "TIMED_OUT"), outcomes);
        Assert.Equal(outcomes.Count(outcome => outcome.Status == "SHIPPED"),
            await Database.CountAsync("SELECT count(*) FROM payments WHERE order_id = ANY(@p0)", (object)orders));
        Assert.Empty(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = Count }, orders));
    }

    [Fact]
    public async Task An_order_given_up_while_the_status_updater_records_its_reservation_stays_given_up_uncharged_with_its_stock_back()
    {
        var product = await Database.CreateProductAsync(stock: 1);
        var orderId = Guid.CreateVersion7();
        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));

        // The give-up's commit is held back: it writes OrderExpired to the outbox, which this transaction keeps locked.
        await using var hold = await Database.OpenAsync();
        await using var holding = await hold.BeginTransactionAsync();
        await using (var lockOutbox = new NpgsqlCommand("LOCK TABLE outbox_messages IN SHARE MODE", hold, holding))
        {
            await lockOutbox.ExecuteNonQueryAsync();
        }

        // Reserved by inventory, its InventoryReserved not yet recorded, and placed long enough ago to be given up now.
        await Database.InsertReservedOrderAsync(orderId, SagaAppFixture.ApprovedUser, product, DateTimeOffset.UtcNow.AddMinutes(-10), OrderStatus.Created);
        await EventuallyAsync("the reconciler is giving the order up", () => Database.IsLockedForUpdateAsync(orderId));

        // InventoryReserved reaches the status-updater (and payment) while the give-up holds the order.
        await broker.ProduceAsync(orderId.ToString(), EventEnvelope.Create(orderId,
            new InventoryReserved(SagaAppFixture.ApprovedUser, [new StockLine(product, 1)], 10m), TimeProvider.System).ToJson());
        await EventuallyAsync("the status-updater and payment wait for the give-up", async () => await Database.CountAsync("""
            SELECT count(*) FROM pg_stat_activity waiting
            WHERE waiting.query ~ '\morders\M'
              AND EXISTS (SELECT 1 FROM unnest(pg_blocking_pids(waiting.pid)) AS giving_up(pid) WHERE @p0 = ANY(pg_blocking_pids(giving_up.pid)))
            """, hold.ProcessID) >= 2);
        await holding.RollbackAsync();

        var settled = await Orders.WaitUntilSettledAsync(orderId);
        await EventuallyAsync("the stock is given back", async () => await Database.StockAsync(product) == 1);
        await EventuallyAsync("the release is audited", async () => (await Orders.EventsAsync(orderId)).Any(e => e.Type == "InventoryReleased"));
        Assert.Equal(("CANCELLED", "TIMED_OUT"), (settled.Status, settled.CancelReason));
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM payments WHERE order_id = @p0", orderId));
        Assert.Empty(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = 1 }, [orderId]));
        Assert.Equal(("CANCELLED", "TIMED_OUT"), ((await Orders.GetAsync(orderId)).Status, (await Orders.GetAsync(orderId)).CancelReason));
    }

    /// <summary>
    /// Stores an order as POST /orders would, a minute ago, with its OrderCreated marked sent: as if the broker had
    /// taken the event and then lost it (the mock broker after a restart, or a topic past its retention).
    /// </summary>
    private async Task<Guid> PlaceWithLostEventAsync(string product)
    {
        var orderId = Guid.CreateVersion7();
        var placedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        var envelope = EventEnvelope.Create(orderId, new OrderCreated(SagaAppFixture.ApprovedUser, [new OrderLine(product, 1, 10m)], 10m), TimeProvider.System);
        await Database.ExecuteAsync("""
            WITH placed AS (
                INSERT INTO orders (id, user_id, status, total, created_at, updated_at) VALUES (@p0, @p1, @p2, 10, @p3, @p3)),
            line AS (
                INSERT INTO order_items (order_id, product_id, qty, unit_price) VALUES (@p0, @p4, 1, 10))
            INSERT INTO outbox_messages (event_id, topic, message_key, event_type, envelope, created_at, sent_at)
            VALUES (@p5, 'order-events', @p6, 'OrderCreated', @p7::jsonb, @p3, @p3)
            """,
            orderId, SagaAppFixture.ApprovedUser, OrderStatus.Created, placedAt, product, envelope.EventId, orderId.ToString(), envelope.ToJson());
        return orderId;
    }
}
