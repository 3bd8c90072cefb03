using System.Text.Json.Nodes;
using OrderSaga.Data.Caching;
using OrderSaga.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrderSaga.Tests.Saga;

/// <summary>The Redis status cache is really used: the status-updater writes through, and GET reads from it.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class OrderCacheTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task A_settled_order_is_written_through_to_redis_and_read_back_from_there()
    {
        var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)]);
        // Watched in the database, not through GET, which would fill the cache itself on a miss.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await Database.CountAsync("SELECT count(*) FROM orders WHERE id = @p0 AND status = 'SHIPPED'", placed.OrderId) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the order did not ship within 60 s");
            await Task.Delay(100);
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(await Fixture.ConnectionStringAsync(ResourceNames.Redis));
        var cache = redis.GetDatabase();
        var key = OrderStatusCache.Key(placed.OrderId);

        var written = await cache.StringGetAsync(key);
        Assert.True(written.HasValue, "the status-updater did not write the settled order through to Redis");
        var cached = JsonNode.Parse((string)written!)!;
        Assert.Equal("SHIPPED", (string?)cached["status"]);
        Assert.True(await cache.KeyTimeToLiveAsync(key) > TimeSpan.FromMinutes(1), "a settled order is cached for long");

        // A value only the cache holds: if GET answers with it, GET read the cache and not the database. Asked
        // for a few seconds, as a read that finds Redis slow (a busy machine, a reconnect) rightly uses the database.
        cached["user_id"] = "served-from-redis";
        await cache.StringSetAsync(key, cached.ToJsonString(), TimeSpan.FromMinutes(1));
        var readUntil = DateTime.UtcNow.AddSeconds(10);
        while ((await Orders.GetAsync(placed.OrderId)).UserId != "served-from-redis")
        {
            Assert.True(DateTime.UtcNow < readUntil, "GET /orders/{id} never answered from the cache");
            await Task.Delay(200);
        }
    }
}
