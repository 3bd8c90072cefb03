using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderSaga.Topology;
using StackExchange.Redis;

namespace OrderSaga.Data.Caching;

public static class OrderCacheRegistration
{
    /// <summary>The name Aspire's Redis client gives its health check.</summary>
    public const string HealthCheckName = "StackExchange.Redis";

    /// <summary>
    /// The Redis client and the order status cache. Commands fail at once while Redis is unreachable instead of
    /// queueing until a timeout: for a cache, down must mean a quick miss, not a slow request. Reconnecting is tried
    /// every second: with the default exponential backoff, the api and the status-updater went on without their
    /// cache for over a minute after Redis had been away for five seconds (found by the fault drills).
    /// </summary>
    public static IHostApplicationBuilder AddOrderStatusCache(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis, configureOptions: options =>
        {
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.ReconnectRetryPolicy = new LinearRetry(1_000);
        });
        builder.Services.AddOptions<OrderCacheOptions>().BindConfiguration(OrderCacheOptions.Section);
        builder.Services.AddSingleton<OrderStatusCache>();
        return builder;
    }
}
