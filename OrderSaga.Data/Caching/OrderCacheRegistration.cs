using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderSaga.Topology;
using StackExchange.Redis;

namespace OrderSaga.Data.Caching;

public static class OrderCacheRegistration
{
    /// <summary>
    /// The Redis client and the order status cache. Commands fail at once while Redis is unreachable instead of
    /// queueing, and give up after <see cref="OrderCacheOptions.CommandTimeout"/> when it does not answer: for a
    /// cache, down or hung must mean a quick miss, not a slow request.
    /// </summary>
    public static IHostApplicationBuilder AddOrderStatusCache(this IHostApplicationBuilder builder)
    {
        var commandTimeout = builder.Configuration.GetSection(OrderCacheOptions.Section).Get<OrderCacheOptions>()?.CommandTimeout
            ?? new OrderCacheOptions().CommandTimeout;
        builder.AddRedisClient(ResourceNames.Redis, configureOptions: options =>
        {
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.AsyncTimeout = options.SyncTimeout = (int)commandTimeout.TotalMilliseconds;
        });
        builder.Services.AddOptions<OrderCacheOptions>().BindConfiguration(OrderCacheOptions.Section);
        builder.Services.AddSingleton<OrderStatusCache>();
        return builder;
    }
}
