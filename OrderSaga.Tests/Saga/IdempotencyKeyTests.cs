using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using OrderSaga.Api.Orders;
using OrderSaga.Tests.Infrastructure;
using StackExchange.Redis;

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

    [Fact]
    public async Task Users_whose_id_and_key_join_to_the_same_text_get_orders_of_their_own()
    {
        var user = $"acme-{Guid.NewGuid():N}";

        var first = await Orders.PlaceAsync($"{user}:42", [("prod-mouse", 1)], "7");
        var second = await Orders.PlaceAsync(user, [("prod-mouse", 1)], "42:7");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.NotEqual(first.OrderId, second.OrderId);
    }

    [Fact]
    public async Task The_same_key_with_other_items_is_refused_with_422_and_places_nothing()
    {
        var key = $"reused-{Guid.NewGuid()}";
        var first = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = JsonContent.Create(new { user_id = SagaAppFixture.ApprovedUser, items = new[] { new { product_id = "prod-mouse", qty = 2 } } }),
        };
        request.Headers.Add("Idempotency-Key", key);
        using var reused = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.Contains(first.OrderId.ToString(), (await reused.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        await AssertOneOrderAsync(key, first.OrderId);
    }

    [Fact]
    public async Task A_replay_whose_cached_key_names_an_order_never_stored_finds_the_stored_one_and_repairs_the_cache()
    {
        var key = $"stale-{Guid.NewGuid()}";
        var first = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await Fixture.ConnectionStringAsync(ResourceNames.Redis));
        var cached = IdempotencyKeys.Key(SagaAppFixture.ApprovedUser, key);
        // What a request leaves behind that claimed the key in Redis and then lost the race in the database.
        await redis.GetDatabase().StringSetAsync(cached, Guid.NewGuid().ToString());

        var replay = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(first.OrderId, replay.OrderId);
        Assert.Equal(first.OrderId.ToString(), (string?)await redis.GetDatabase().StringGetAsync(cached));
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
