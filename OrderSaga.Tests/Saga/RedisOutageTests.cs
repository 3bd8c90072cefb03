using System.Net;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>Redis is a cache and a fast path: with it down, orders, their status and Idempotency-Keys keep working.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class RedisOutageTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private const string Redis = ResourceNames.Redis;

    [Fact]
    public async Task Orders_and_idempotency_keys_work_while_redis_is_down()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Fixture.StopAsync(Redis, timeout.Token);
        try
        {
            var key = $"redis-down-{Guid.NewGuid()}";

            var first = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key);
            var second = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key);

            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            Assert.Equal(first.OrderId, second.OrderId);
            Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM orders WHERE idempotency_key = @p0", key));
            Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(first.OrderId)).Status);
        }
        finally
        {
            // The services that use Redis report unhealthy while it is down; later tests expect them healthy.
            await Fixture.StartAsync(Redis, timeout.Token, "api", "status-updater");
        }
    }
}
