using System.Text.Json;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Data;
using OrderSaga.Messaging.Events;
using OrderSaga.Tests.Infrastructure;
using OrderSaga.Tests.Saga;

namespace OrderSaga.Tests.Contract;

/// <summary>
/// During a rolling update this release reads what the next one writes: fields it does not know yet are ignored, and
/// event types it does not know are passed by, each without a dead letter or a stalled partition.
/// </summary>
[Collection(SagaAppCollection.Name)]
public sealed class NextVersionTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task An_order_created_by_a_later_version_with_fields_this_one_does_not_know_ships()
    {
        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));
        var product = await Database.CreateProductAsync(stock: 5);
        var orderId = Guid.CreateVersion7();
        await Database.InsertOrderAsync(orderId, SagaAppFixture.ApprovedUser, OrderStatus.Created, product);

        // A field in the envelope, in the payload and in a line, none of which this release has.
        await broker.ProduceAsync(orderId.ToString(), JsonSerializer.Serialize(new
        {
            event_id = Guid.CreateVersion7(),
            type = EventTypes.OrderCreated,
            order_id = orderId,
            occurred_at = DateTimeOffset.UtcNow,
            schema_version = 2,
            payload = new
            {
                user_id = SagaAppFixture.ApprovedUser,
                items = new[] { new { product_id = product, qty = 1, unit_price = 10m, gift_wrap = true } },
                total = 10m,
                coupon_code = "WINTER",
            },
        }));

        Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(orderId)).Status);
        Assert.Equal(4, await Database.StockAsync(product));
        await broker.WaitUntilAllConsumedAsync();
        Assert.DoesNotContain(broker.ReadToEnd(Topics.DeadLetters), letter => letter.Message.Key == orderId.ToString());
    }

    [Fact]
    public async Task An_event_type_of_a_later_version_is_passed_by_every_role_and_the_order_goes_on()
    {
        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));
        var product = await Database.CreateProductAsync(stock: 5);
        var orderId = Guid.CreateVersion7();
        await Database.InsertOrderAsync(orderId, SagaAppFixture.ApprovedUser, OrderStatus.Created, product);

        var unknown = await broker.ProduceAsync(orderId.ToString(), JsonSerializer.Serialize(new
        {
            event_id = Guid.CreateVersion7(),
            type = "OrderGiftWrapped",
            order_id = orderId,
            occurred_at = DateTimeOffset.UtcNow,
            payload = new { paper = "red" },
        }));
        await broker.WaitUntilConsumedAsync(unknown);
        await broker.ProduceAsync(orderId.ToString(), EventEnvelope.Create(orderId,
            new OrderCreated(SagaAppFixture.ApprovedUser, [new OrderLine(product, 1, 10m)], 10m), TimeProvider.System).ToJson());

        Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(orderId)).Status);
        Assert.Equal(4, await Database.StockAsync(product));
        Assert.DoesNotContain("OrderGiftWrapped", (await Orders.EventsAsync(orderId)).Select(e => e.Type));
        await broker.WaitUntilAllConsumedAsync();
        Assert.DoesNotContain(broker.ReadToEnd(Topics.DeadLetters), letter => letter.Message.Key == orderId.ToString());
    }
}
