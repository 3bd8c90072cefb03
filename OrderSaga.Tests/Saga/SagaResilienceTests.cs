using System.Text.Json;
using Confluent.Kafka;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Messaging.Events;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>Redelivery, poison messages and failing handlers: no double effects, nothing skipped, the saga goes on.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class SagaResilienceTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task Redelivered_events_reserve_charge_ship_and_audit_only_once()
    {
        var broker = await BrokerAsync();
        var (product, placed, originals) = await ShippedOrderAsync(broker, qty: 2);
        var key = placed.OrderId.ToString();

        TopicPartitionOffset? last = null;
        foreach (var original in originals)
        {
            last = await broker.ProduceCopyAsync(original);
        }

        await broker.WaitUntilConsumedAsync(last!);

        await AssertAppliedOnceAsync(broker, product, placed);
    }

    [Fact]
    public async Task Sent_marks_a_crash_takes_back_only_publish_again_what_the_claims_absorb()
    {
        var broker = await BrokerAsync();
        var (product, placed, _) = await ShippedOrderAsync(broker, qty: 2);
        var key = placed.OrderId.ToString();

        // The relay commits its marks without waiting for the disk: a PostgreSQL crash may take the last ones back.
        Assert.Equal(4, await Database.ExecuteAsync("UPDATE outbox_messages SET sent_at = NULL WHERE message_key = @p0", key));
        // The tests' relays wake only when a commit publishes (their poll is minutes long): the next order's does.
        await Orders.WaitUntilSettledAsync((await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [(await Database.CreateProductAsync(stock: 1), 1)])).OrderId);
        await EventuallyAsync("the rows sent again", async () =>
            await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE message_key = @p0 AND sent_at IS NULL", key) == 0);
        broker.ReadUntil(Topics.OrderEvents, read => read.Count(r => r.Message.Key == key) >= 8);

        await AssertAppliedOnceAsync(broker, product, placed);
    }

    /// <summary>The order's every event went past every group again: reserved, charged, shipped and audited once all the same.</summary>
    private async Task AssertAppliedOnceAsync(SagaBroker broker, string product, PlacedOrder placed)
    {
        var key = placed.OrderId.ToString();
        Assert.Equal(8, await Database.StockAsync(product));
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM stock_reservations WHERE order_id = @p0", placed.OrderId));
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM payments WHERE order_id = @p0", placed.OrderId));
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM shipments WHERE order_id = @p0", placed.OrderId));
        Assert.Equal(4, (await Orders.EventsAsync(placed.OrderId)).Count);
        Assert.Equal("SHIPPED", (await Orders.GetAsync(placed.OrderId)).Status);
        Assert.Equal(4, await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE message_key = @p0", key));
        // Once nothing is left queued for the order (no deferred copy, no unsent row) and every copy went past every
        // group: absorbed by the once-only claims, never failing on a unique key into the retry rounds or the dead letters.
        Assert.Empty(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = 10 }, [placed.OrderId]));
        await broker.WaitUntilAllConsumedAsync();
        Assert.DoesNotContain(broker.ReadToEnd(Topics.OrderEvents), r => r.Message.Key == key && SagaBroker.Header(r, MessageHeaders.RetryRound) != "");
        Assert.DoesNotContain(broker.ReadToEnd(Topics.DeadLetters), r => r.Message.Key == key);
    }

    [Fact]
    public async Task Steps_the_status_updater_never_heard_of_are_published_again_once_the_order_ends()
    {
        var broker = await BrokerAsync();
        var (product, placed, published) = await ShippedOrderAsync(broker, qty: 1);
        var key = placed.OrderId.ToString();
        var shipped = published.Single(r => SagaBroker.Header(r, MessageHeaders.EventType) == EventTypes.OrderShipped);
        // As if the broker had lost InventoryReserved and PaymentCompleted before the status-updater read them
        // (the others did): the order still CREATED for it, those steps unaudited, OrderShipped yet to come.
        await Database.ExecuteAsync("""
            WITH unaudited AS (DELETE FROM order_events WHERE order_id = @p0 AND type <> 'OrderCreated')
            UPDATE orders SET status = 'CREATED' WHERE id = @p0
            """, placed.OrderId);
        await Database.ExecuteAsync("""
            DELETE FROM processed_events WHERE consumer = @p0
            AND event_id IN (SELECT event_id FROM outbox_messages WHERE message_key = @p1 AND event_type <> 'OrderCreated')
            """, SagaRoles.StatusUpdater, key);

        await broker.ProduceCopyAsync(shipped);

        await EventuallyAsync("the lost steps audited", async () =>
            (await Orders.EventsAsync(placed.OrderId)).Select(e => e.Type).Order().SequenceEqual(
                new[] { EventTypes.OrderCreated, EventTypes.InventoryReserved, EventTypes.PaymentCompleted, EventTypes.OrderShipped }.Order()));
        Assert.Equal(2, await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE message_key = @p0 AND redriven_at IS NOT NULL", key));
        // Every other role had handled them and skipped the copies by their claims.
        Assert.Equal(9, await Database.StockAsync(product));
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM payments WHERE order_id = @p0", placed.OrderId));
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM shipments WHERE order_id = @p0", placed.OrderId));
        Assert.Equal("SHIPPED", (await Orders.GetAsync(placed.OrderId)).Status);
    }

    [Fact]
    public async Task A_step_the_status_updater_failed_itself_is_not_published_again_as_lost()
    {
        var broker = await BrokerAsync();
        var product = await Database.CreateProductAsync(stock: 5);
        // The status-updater cannot audit this product's InventoryReserved: it goes through the retry rounds to the
        // dead letters while payment and delivery finish the order, which ends with that step unaudited.
        await Database.ExecuteAsync($$"""
            CREATE FUNCTION refuse_audit_{{product.Replace('-', '_')}}() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF NEW.type = 'InventoryReserved' AND EXISTS (SELECT 1 FROM order_items WHERE order_id = NEW.order_id AND product_id = '{{product}}') THEN
                    RAISE EXCEPTION 'the audit of this step is refused';
                END IF;
                RETURN NEW;
            END $body$;
            CREATE TRIGGER refuse_audit_{{product.Replace('-', '_')}} BEFORE INSERT ON order_events FOR EACH ROW EXECUTE FUNCTION refuse_audit_{{product.Replace('-', '_')}}();
            """);
        try
        {
            var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [(product, 1)]);
            var key = placed.OrderId.ToString();

            var parked = broker.ReadUntil(Topics.DeadLetters, read => read.Any(r => r.Message.Key == key))
                .Where(r => r.Message.Key == key).ToList();

            Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(placed.OrderId)).Status);
            var deadLetter = Assert.Single(parked);
            Assert.Equal((EventTypes.InventoryReserved, SagaRoles.StatusUpdater),
                (SagaBroker.Header(deadLetter, MessageHeaders.EventType), SagaBroker.Header(deadLetter, MessageHeaders.DeadLetterConsumerGroup)));
            // Not taken for a step the broker lost: neither marked re-driven nor published again as an original.
            Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE message_key = @p0 AND redriven_at IS NOT NULL", key));
            await broker.WaitUntilAllConsumedAsync();
            Assert.Single(broker.ReadToEnd(Topics.OrderEvents), r => r.Message.Key == key
                && SagaBroker.Header(r, MessageHeaders.EventType) == EventTypes.InventoryReserved && SagaBroker.Header(r, MessageHeaders.RetryRound) == "");
            Assert.Equal(4, await Database.StockAsync(product));
        }
        finally
        {
            await Database.ExecuteAsync($"DROP TRIGGER refuse_audit_{product.Replace('-', '_')} ON order_events");
        }
    }

    [Fact]
    public async Task A_payload_that_does_not_read_as_its_type_is_dead_lettered_by_every_role_that_takes_the_type()
    {
        var broker = await BrokerAsync();
        var orderId = Guid.NewGuid();
        await broker.ProduceAsync(orderId.ToString(), JsonSerializer.Serialize(new
        {
            event_id = Guid.NewGuid(),
            type = EventTypes.OrderCreated,
            order_id = orderId,
            occurred_at = DateTimeOffset.UtcNow,
            payload = new { user_id = "ghost", items = "not a list of lines", total = "ten" },
        }));

        // Inventory takes OrderCreated as a typed event, the status-updater by its envelope: both read it first.
        var deadLetters = broker.ReadUntil(Topics.DeadLetters, read =>
            read.Count(r => r.Message.Key == orderId.ToString()) >= 2);

        var parked = deadLetters.Where(r => r.Message.Key == orderId.ToString()).ToList();
        Assert.Equal([SagaRoles.Inventory, SagaRoles.StatusUpdater], parked.Select(r => SagaBroker.Header(r, "dlq-consumer-group")).Order());
        Assert.All(parked, r => Assert.Equal("InvalidPayload", SagaBroker.Header(r, "dlq-reason")));
        Assert.Equal(0L, await Database.CountAsync("SELECT count(*) FROM order_events WHERE order_id = @p0", orderId));
    }

    [Fact]
    public async Task Unhandleable_messages_are_dead_lettered_and_later_orders_still_complete()
    {
        var broker = await BrokerAsync();
        var product = await Database.CreateProductAsync(stock: 5);

        // On every partition, so the order placed afterwards sits behind one on its own partition, wherever it lands.
        var malformedKey = $"garbage-{Guid.NewGuid()}";
        var malformedCopies = await broker.ProduceToEveryPartitionAsync(malformedKey, "this is not an event envelope"u8.ToArray());
        var malformed = malformedCopies[0];
        // A well-formed OrderCreated for an order that does not exist: reserving for it breaks a foreign key every time.
        var ghostOrder = Guid.NewGuid();
        var ghost = await broker.ProduceAsync(ghostOrder.ToString(), JsonSerializer.Serialize(new
        {
            event_id = Guid.NewGuid(),
            type = "OrderCreated",
            order_id = ghostOrder,
            occurred_at = DateTimeOffset.UtcNow,
            payload = new { user_id = "ghost", items = new[] { new { product_id = product, qty = 1, unit_price = 10m } }, total = 10m },
        }));

        var deadLetters = broker.ReadUntil(Topics.DeadLetters, read =>
            read.Any(r => r.Message.Key == malformedKey && SagaBroker.Header(r, "dlq-original-partition") == malformed.Partition.Value.ToString()) &&
            read.Any(r => r.Message.Key == ghostOrder.ToString() && SagaBroker.Header(r, "dlq-consumer-group") == SagaRoles.Inventory));

        var parked = deadLetters.First(r => r.Message.Key == malformedKey && SagaBroker.Header(r, "dlq-original-partition") == malformed.Partition.Value.ToString());
        Assert.Equal("InvalidEnvelope", SagaBroker.Header(parked, "dlq-reason"));
        Assert.Equal(malformed.Partition.Value.ToString(), SagaBroker.Header(parked, "dlq-original-partition"));
        Assert.Equal(malformed.Offset.Value.ToString(), SagaBroker.Header(parked, "dlq-original-offset"));
        Assert.Equal("this is not an event envelope", System.Text.Encoding.UTF8.GetString(parked.Message.Value));

        var failed = deadLetters.First(r => r.Message.Key == ghostOrder.ToString() && SagaBroker.Header(r, "dlq-consumer-group") == SagaRoles.Inventory);
        Assert.Equal("HandlerFailed", SagaBroker.Header(failed, "dlq-reason"));
        Assert.Equal("5", SagaBroker.Header(failed, "dlq-attempts"));
        Assert.Contains("foreign key", SagaBroker.Header(failed, "dlq-error"));
        Assert.Equal(Topics.OrderEvents, SagaBroker.Header(failed, "dlq-original-topic"));
        // Parked only after every round of the retry schedule (two in the tests): the copy of the last round.
        Assert.Equal("2", SagaBroker.Header(failed, "retry-round"));
        Assert.Equal(ghost.Partition.Value.ToString(), SagaBroker.Header(failed, "dlq-original-partition"));
        Assert.True(long.Parse(SagaBroker.Header(failed, "dlq-original-offset")) > ghost.Offset.Value);
        Assert.Equal(5, await Database.StockAsync(product));
        // Every role has moved past both: none is stuck retrying, none skipped them without a dead letter.
        foreach (var copy in malformedCopies)
        {
            await broker.WaitUntilConsumedAsync(copy);
        }

        await broker.WaitUntilConsumedAsync(ghost);

        var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [(product, 1)]);
        Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(placed.OrderId)).Status);
        Assert.Equal(4, await Database.StockAsync(product));
        var created = broker.ReadUntil(Topics.OrderEvents, read => read.Any(r => r.Message.Key == placed.OrderId.ToString()))
            .First(r => r.Message.Key == placed.OrderId.ToString());
        Assert.True(created.Offset > malformedCopies.Single(copy => copy.Partition == created.Partition).Offset, "the order did not follow the poison on its partition");
    }

    [Fact]
    public async Task Every_event_of_an_order_carries_the_same_trace()
    {
        var broker = await BrokerAsync();
        var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)]);
        await Orders.WaitUntilSettledAsync(placed.OrderId);

        // At least once: a copy the reconciler published again on a slow machine carries the same event id.
        static IEnumerable<ConsumeResult<string, byte[]>> EventsOf(IEnumerable<ConsumeResult<string, byte[]>> read, Guid orderId) =>
            read.Where(r => r.Message.Key == orderId.ToString()).DistinctBy(r => SagaBroker.Header(r, MessageHeaders.EventId));
        var messages = EventsOf(broker.ReadUntil(Topics.OrderEvents, read => EventsOf(read, placed.OrderId).Count() >= 4), placed.OrderId).ToList();

        Assert.Equal(["OrderCreated", "InventoryReserved", "PaymentCompleted", "OrderShipped"], messages.Select(m => SagaBroker.Header(m, "event-type")));
        var traceIds = messages.Select(m => SagaBroker.Header(m, "traceparent").Split('-')).Select(parts => parts.Length == 4 ? parts[1] : "").ToList();
        Assert.All(traceIds, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Single(traceIds.Distinct());
    }

    /// <summary>
    /// An order of <paramref name="qty"/> units of a product with stock 10, shipped, and the four messages its saga
    /// published, headers included: exactly what a redelivery carries.
    /// </summary>
    private async Task<(string Product, PlacedOrder Placed, List<ConsumeResult<string, byte[]>> Published)> ShippedOrderAsync(SagaBroker broker, int qty)
    {
        var product = await Database.CreateProductAsync(stock: 10);
        var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [(product, qty)]);
        Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(placed.OrderId)).Status);
        var key = placed.OrderId.ToString();
        var published = broker.ReadUntil(Topics.OrderEvents, read => read.Count(r => r.Message.Key == key) >= 4)
            .Where(r => r.Message.Key == key)
            .ToList();
        Assert.Equal(4, published.Count);
        return (product, placed, published);
    }

    private async Task<SagaBroker> BrokerAsync() => new(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));
}
