using OrderSaga.Data;
using OrderSaga.Messaging.Events;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>A failure that outlasts the quick retries but heals within the retry schedule costs an order nothing.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class RetryScheduleTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task An_event_that_fails_until_its_cause_is_fixed_is_retried_later_and_completes_its_order()
    {
        var product = await Database.CreateProductAsync(stock: 5);
        var orderId = Guid.CreateVersion7();
        var created = EventEnvelope.Create(orderId, new OrderCreated(SagaAppFixture.ApprovedUser, [new OrderLine(product, 1, 10m)], 10m), TimeProvider.System);
        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));

        // Its order row is missing for now, so inventory's reservation breaks a foreign key on every quick attempt.
        await broker.ProduceAsync(orderId.ToString(), created.ToJson());
        await EventuallyAsync("inventory deferred the event",
            async () => await Database.CountAsync("SELECT count(*) FROM deferred_events WHERE event_id = @p0 AND consumer = @p1", created.EventId, SagaRoles.Inventory) == 1);
        // The cause is fixed while the event waits for its next round.
        await Database.InsertOrderAsync(orderId, SagaAppFixture.ApprovedUser, OrderStatus.Created, product);

        Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(orderId)).Status);
        Assert.Equal(4, await Database.StockAsync(product));
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM deferred_events WHERE event_id = @p0", created.EventId));
        Assert.DoesNotContain(broker.ReadToEnd(Topics.DeadLetters), letter => letter.Message.Key == orderId.ToString());
        Assert.Empty(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [product] = 5 }));
    }
}
