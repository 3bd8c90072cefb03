using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>Redis is a cache and a fast path: with it down, orders, their status and Idempotency-Keys keep working.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class RedisOutageTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private const string Redis = InfrastructureOptions.ResourceRedis;

    [Fact]
    public async Task Orders_and_idempotency_keys_work_while_redis_is_down()
    {
        var app = Fixture.App;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await app.ResourceCommands.ExecuteCommandAsync(Redis, KnownResourceCommands.StopCommand, timeout.Token);
        await app.ResourceNotifications.WaitForResourceAsync(Redis, [KnownResourceStates.Exited, KnownResourceStates.Finished], timeout.Token);
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
            await app.ResourceCommands.ExecuteCommandAsync(Redis, KnownResourceCommands.StartCommand, timeout.Token);
            await Task.WhenAll(new[] { Redis, "api", "status-updater" }
                .Select(name => app.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token)));
        }
    }
}
