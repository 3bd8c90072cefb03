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
        var redis = await Fixture.SignalServiceAsync(Redis, "TERM", timeout.Token);
        try
        {
            var key = $"redis-down-{Guid.NewGuid()}";

            var first = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key);
            var second = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key);

            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            Assert.Equal(first.OrderId, second.OrderId);
            Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM orders WHERE idempotency_key = @p0", key));
            Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(first.OrderId)).Status);
            // Ready, and saying what is missing: the api works on without its cache.
            using var probe = Fixture.CreateApiClient();
            using var health = await probe.GetAsync("/health");
            Assert.Equal((HttpStatusCode.OK, "Degraded"), (health.StatusCode, await health.Content.ReadAsStringAsync()));
        }
        finally
        {
            await Fixture.StartInstanceAsync(Redis, redis, timeout.Token, ResourceNames.Api, SagaRoles.StatusUpdater);
        }
    }

    [Fact]
    public async Task Orders_status_reads_and_idempotency_keys_work_while_redis_hangs()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var settled = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)]);
        await Orders.WaitUntilSettledAsync(settled.OrderId);
        // Suspended, Redis keeps its connections open and never answers: commands time out instead of failing.
        var redis = Fixture.ProcessId(Redis);
        await LocalProcesses.SignalAsync("STOP", redis);
        try
        {
            Assert.Equal("SHIPPED", (await Orders.GetAsync(settled.OrderId)).Status);

            var key = $"redis-hung-{Guid.NewGuid()}";
            var first = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key);
            var second = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)], key);
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            Assert.Equal(first.OrderId, second.OrderId);

            // The status-updater's cache writes time out after commit; the order still moves on, never dead-lettered.
            Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(first.OrderId)).Status);
            Assert.Equal(4, (await Orders.EventsAsync(first.OrderId)).Count);
        }
        finally
        {
            await LocalProcesses.SignalAsync("CONT", redis);
            await Task.WhenAll(new[] { Redis, ResourceNames.Api, SagaRoles.StatusUpdater }
                .Select(name => Fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token)));
        }
    }
}
