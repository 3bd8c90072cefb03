using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using OrderSaga.Data;
using OrderSaga.Messaging.Events;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>An operator lists dead letters, sends them back once the cause is fixed, and finds orders that stopped moving.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class OperatorApiTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task Dead_letters_are_listed_with_their_headers()
    {
        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));
        var key = $"garbage-{Guid.NewGuid()}";
        await broker.ProduceAsync(key, "not an envelope either");
        broker.ReadUntil(Topics.DeadLetters, read => read.Count(r => r.Message.Key == key) == SagaRoles.Consumers.Count);
        using var admin = await Fixture.CreateOperatorClientAsync();

        var letters = await admin.GetFromJsonAsync<List<JsonElement>>("/operator/dead-letters");

        // Every role reads the topic, so every role parks its own copy.
        var parked = letters!.Where(l => l.GetProperty("key").GetString() == key).ToList();
        Assert.Equal(SagaRoles.Consumers.Order(), parked.Select(l => l.GetProperty("headers").GetProperty(MessageHeaders.DeadLetterConsumerGroup).GetString()).Order());
        Assert.All(parked, letter =>
        {
            Assert.Equal("not an envelope either", letter.GetProperty("value").GetString());
            Assert.Equal("InvalidEnvelope", letter.GetProperty("headers").GetProperty(MessageHeaders.DeadLetterReason).GetString());
            Assert.Equal(Topics.OrderEvents, letter.GetProperty("headers").GetProperty(MessageHeaders.DeadLetterOriginalTopic).GetString());
        });
    }

    [Fact]
    public async Task A_redriven_dead_letter_finishes_its_order()
    {
        var product = await Database.CreateProductAsync(stock: 5);
        var orderId = Guid.CreateVersion7();
        await Database.InsertOrderAsync(orderId, SagaAppFixture.ApprovedUser, OrderStatus.Created, product);
        // Its OrderCreated was dead-lettered by inventory after every retry round (say the database was down for
        // longer than the schedule); nothing else will ever publish it again.
        var created = EventEnvelope.Create(orderId, new OrderCreated(SagaAppFixture.ApprovedUser, [new OrderLine(product, 1, 10m)], 10m), TimeProvider.System);
        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));
        var parked = await broker.ProduceAsync(
            orderId.ToString(), Encoding.UTF8.GetBytes(created.ToJson()), Topics.DeadLetters, new Headers
            {
                { MessageHeaders.EventType, Encoding.UTF8.GetBytes(created.Type) },
                { MessageHeaders.EventId, Encoding.UTF8.GetBytes(created.EventId.ToString()) },
                { MessageHeaders.RetryRound, "2"u8.ToArray() },
                { MessageHeaders.RetryConsumerGroup, Encoding.UTF8.GetBytes(SagaRoles.Inventory) },
                { MessageHeaders.DeadLetterReason, "HandlerFailed"u8.ToArray() },
                { MessageHeaders.DeadLetterConsumerGroup, Encoding.UTF8.GetBytes(SagaRoles.Inventory) },
            });
        using var admin = await Fixture.CreateOperatorClientAsync();

        using var response = await admin.PostAsJsonAsync("/operator/dead-letters/redrive", new
        {
            messages = new[] { new { partition = parked.Partition.Value, offset = parked.Offset.Value } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = Assert.Single((await response.Content.ReadFromJsonAsync<List<JsonElement>>())!);
        Assert.True(outcome.GetProperty("redriven").GetBoolean());
        Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(orderId)).Status);
        Assert.Equal(4, await Database.StockAsync(product));
        // The copy keeps its identity but not its failures: should it fail again, it gets every retry round anew.
        var redriven = Assert.Single(broker.ReadToEnd(Topics.OrderEvents),
            message => message.Message.Key == orderId.ToString() && SagaBroker.Header(message, MessageHeaders.EventId) == created.EventId.ToString());
        Assert.DoesNotContain(redriven.Message.Headers, header => header.Key.StartsWith("retry-") || header.Key.StartsWith("dlq-"));
    }

    [Fact]
    public async Task A_position_that_holds_no_dead_letter_is_reported_not_redriven()
    {
        using var admin = await Fixture.CreateOperatorClientAsync();

        using var response = await admin.PostAsJsonAsync("/operator/dead-letters/redrive", new { messages = new[] { new { partition = 0, offset = long.MaxValue - 1 } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(Assert.Single((await response.Content.ReadFromJsonAsync<List<JsonElement>>())!).GetProperty("redriven").GetBoolean());
    }

    [Fact]
    public async Task Orders_that_stopped_moving_are_listed()
    {
        var product = await Database.CreateProductAsync(stock: 5);
        var orderId = Guid.CreateVersion7();
        await Database.InsertOrderAsync(orderId, SagaAppFixture.ApprovedUser, OrderStatus.Paid, product, DateTimeOffset.UtcNow.AddHours(-2));
        using var admin = await Fixture.CreateOperatorClientAsync();

        var stuck = await admin.GetFromJsonAsync<List<JsonElement>>("/operator/stuck-orders?idle_seconds=3600");
        var recent = await admin.GetFromJsonAsync<List<JsonElement>>("/operator/stuck-orders?idle_seconds=86400");

        Assert.Equal("PAID", Assert.Single(stuck!, order => order.GetProperty("order_id").GetGuid() == orderId).GetProperty("status").GetString());
        Assert.DoesNotContain(recent!, order => order.GetProperty("order_id").GetGuid() == orderId);
    }

    [Fact]
    public async Task Without_idle_seconds_an_order_is_stuck_after_the_configured_time()
    {
        // The fixture sets StuckOrders:After to an hour.
        var product = await Database.CreateProductAsync(stock: 5);
        var stuckId = Guid.CreateVersion7();
        var movingId = Guid.CreateVersion7();
        await Database.InsertOrderAsync(stuckId, SagaAppFixture.ApprovedUser, OrderStatus.Paid, product, DateTimeOffset.UtcNow.AddMinutes(-90));
        await Database.InsertOrderAsync(movingId, SagaAppFixture.ApprovedUser, OrderStatus.Paid, product, DateTimeOffset.UtcNow.AddMinutes(-30));
        using var admin = await Fixture.CreateOperatorClientAsync();

        var listed = (await admin.GetFromJsonAsync<List<JsonElement>>("/operator/stuck-orders"))!.Select(order => order.GetProperty("order_id").GetGuid()).ToList();

        Assert.Contains(stuckId, listed);
        Assert.DoesNotContain(movingId, listed);
    }
}
