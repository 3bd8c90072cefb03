using OrderSaga.Data;
using OrderSaga.Messaging.Events;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>A failure that outlasts the quick retries but heals within the retry schedule costs an order nothing.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class RetryScheduleTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_event_that_fails_until_its_cause_is_fixed_is_retried_later_and_completes_its_order()
    {
        var product = await Database.CreateProductAsync(stock: 5);
        var orderId = Guid.CreateVersion7();
        var created = EventEnvelope.Create(orderId, new OrderCreated(SagaAppFixture.ApprovedUser, [new OrderLine(product, 1, 10m)], 10m), TimeProvider.System);
        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));

        // Its order row is missing for now, so inventory's reservation breaks a foreign key on every quick attempt.
        await broker.ProduceAsync(orderId.ToString(), created.ToJson());
        await WaitUntilAsync("inventory deferred the event",
            async () => await Database.CountAsync("SELECT count(*) FROM deferred_events WHERE event_id = @p0 AND consumer = @p1", created.EventId, SagaRoles.Inventory) == 1);
        // The cause is fixed while the event waits for its next round.
        await Database.ExecuteAsync("""
            WITH placed AS (
                INSERT INTO orders (id, user_id, status, total, created_at, updated_at) VALUES (@p0, @p1, 'CREATED', 10, now(), now()))
            INSERT INTO order_items (order_id, product_id, qty, unit_price) VALUES (@p0, @p2, 1, 10)
            """, orderId, SagaAppFixture.ApprovedUser, product);

        Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(orderId)).Status);
        Assert.Equal(4, await Database.StockAsync(product));
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM deferred_events WHERE event_id = @p0", created.EventId));
        Assert.DoesNotContain(broker.ReadToEnd(Topics.DeadLetters), letter => letter.Message.Key == orderId.ToString());
        Assert.Empty(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = 5 }));
    }

    private static async Task WaitUntilAsync(string what, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not so within {Timeout.TotalSeconds} s: {what}");
            await Task.Delay(100);
        }
    }
}
