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
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await Fixture.ConnectionStringAsync(ResourceNames.Redis));
        var cache = redis.GetDatabase();

        // Watched in Redis, never through GET, which would fill the cache itself on a miss. The write-through
        // follows the status-updater's commit, so it may land a moment after the database says SHIPPED; right
        // after a Redis restart (another test's) the first write may be lost by design, so a later order must do.
        var (orderId, cached) = await FirstWrittenThroughAsync(cache, "SHIPPED");
        var key = OrderStatusCache.Key(orderId);

        Assert.True(await cache.KeyTimeToLiveAsync(key) > TimeSpan.FromMinutes(1), "a settled order is cached for long");
        // A value only the cache holds: if GET answers with it, GET read the cache and not the database.
        cached["cancel_reason"] = "SERVED_FROM_REDIS";
        await cache.StringSetAsync(key, cached.ToJsonString(), TimeSpan.FromMinutes(1));
        Assert.Equal("SERVED_FROM_REDIS", await CancelReasonServedAsync(orderId));
    }

    /// <summary>
    /// GET's answer, asked again for a while if it did not come from Redis: on a loaded machine a cache read may
    /// outlast its 500 ms and fall back to PostgreSQL, which answers without the planted value (and, adding only
    /// what is absent, leaves it in place). An api that never reads the cache never shows it.
    /// </summary>
    private async Task<string?> CancelReasonServedAsync(Guid orderId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var reason = (await Orders.GetAsync(orderId)).CancelReason;
            if (reason == "SERVED_FROM_REDIS" || DateTime.UtcNow > deadline)
            {
                return reason;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Places orders one after another until the status-updater writes one through with <paramref name="status"/>.</summary>
    private async Task<(Guid OrderId, JsonNode Cached)> FirstWrittenThroughAsync(IDatabase cache, string status)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)]);
            if (await WaitForCachedStatusAsync(cache, OrderStatusCache.Key(placed.OrderId), status, TimeSpan.FromSeconds(10)) is { } cached)
            {
                return (placed.OrderId, cached);
            }

            Assert.True(DateTime.UtcNow < deadline, $"the status-updater wrote no order through to Redis as {status} within {Timeout.TotalSeconds} s");
        }
    }

    private static async Task<JsonNode?> WaitForCachedStatusAsync(IDatabase cache, RedisKey key, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await cache.StringGetAsync(key) is { HasValue: true } written && JsonNode.Parse((string)written!) is { } cached && (string?)cached["status"] == status)
            {
                return cached;
            }

            await Task.Delay(100);
        }

        return null;
    }
}
