using System.Net;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

[Collection(SagaAppCollection.Name)]
public sealed class IdempotencyKeyTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task Repeating_a_request_with_the_same_key_returns_the_original_order()
    {
        var key = $"form-{Guid.NewGuid()}";

        var first = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key);
        var second = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(first.OrderId, second.OrderId);
        await AssertOneOrderAsync(key, first.OrderId);
    }

    [Fact]
    public async Task Identical_requests_racing_each_other_make_one_order()
    {
        var key = $"race-{Guid.NewGuid()}";

        var placed = await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(_ => Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key)));

        var orderId = Assert.Single(placed.Select(p => p.OrderId).Distinct());
        Assert.Single(placed, p => p.StatusCode == HttpStatusCode.Created);
        await AssertOneOrderAsync(key, orderId);
    }

    [Fact]
    public async Task The_same_key_from_another_user_is_another_order()
    {
        var key = $"shared-{Guid.NewGuid()}";

        var mine = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key);
        var theirs = await Orders.PlaceAsync($"other-{Guid.NewGuid():N}", [("prod-mouse", 1)], key);

        Assert.NotEqual(mine.OrderId, theirs.OrderId);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
    }

    private async Task AssertOneOrderAsync(string key, Guid orderId)
    {
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM orders WHERE idempotency_key = @p0", key));
        Assert.Equal(1, await Database.CountAsync(
            "SELECT count(*) FROM outbox_messages WHERE message_key = @p0 AND event_type = 'OrderCreated'", orderId.ToString()));
        await Orders.WaitUntilSettledAsync(orderId);
        var events = await Orders.EventsAsync(orderId);
        Assert.Single(events, e => e.Type == "OrderCreated");
    }
}
