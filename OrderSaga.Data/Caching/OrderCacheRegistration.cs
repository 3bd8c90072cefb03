using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderSaga.Data.Redis;

namespace OrderSaga.Data.Caching;

public static class OrderCacheRegistration
{
    /// <summary>The order status cache, on the process's fail-fast Redis client.</summary>
    public static IHostApplicationBuilder AddOrderStatusCache(this IHostApplicationBuilder builder)
    {
        builder.AddFailFastRedisClient();
        builder.Services.AddOptions<OrderCacheOptions>().BindConfiguration(OrderCacheOptions.Section);
        builder.Services.AddSingleton<OrderStatusCache>();
        return builder;
    }
}
