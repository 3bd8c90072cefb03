using System.Text.Json.Nodes;
using OrderSaga.Data.Caching;
using OrderSaga.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrderSaga.Tests.Saga;

/// <summary>The Redis status cache is really used: the status-updater writes through, and GET reads from it.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class OrderCacheTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_settled_order_is_written_through_to_redis_and_read_back_from_there()
    {
        var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)]);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await Fixture.ConnectionStringAsync(ResourceNames.Redis));
        var cache = redis.GetDatabase();
        var key = OrderStatusCache.Key(placed.OrderId);

        // Watched in Redis, never through GET, which would fill the cache itself on a miss. The write-through
        // follows the status-updater's commit, so it may land a moment after the database says SHIPPED.
        var cached = await WaitForCachedStatusAsync(cache, key, "SHIPPED");

        Assert.True(await cache.KeyTimeToLiveAsync(key) > TimeSpan.FromMinutes(1), "a settled order is cached for long");
        // A value only the cache holds: if GET answers with it, GET read the cache and not the database.
        cached["cancel_reason"] = "SERVED_FROM_REDIS";
        await cache.StringSetAsync(key, cached.ToJsonString(), TimeSpan.FromMinutes(1));
        Assert.Equal("SERVED_FROM_REDIS", (await Orders.GetAsync(placed.OrderId)).CancelReason);
    }

    private static async Task<JsonNode> WaitForCachedStatusAsync(IDatabase cache, RedisKey key, string status)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            if (await cache.StringGetAsync(key) is { HasValue: true } written && JsonNode.Parse((string)written!) is { } cached && (string?)cached["status"] == status)
            {
                return cached;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the status-updater did not write {status} through to Redis within {Timeout.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}
