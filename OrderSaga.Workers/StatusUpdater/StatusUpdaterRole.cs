using OrderSaga.Data.Caching;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Workers.StatusUpdater;

public static class StatusUpdaterRole
{
    public const string RedisConnectionName = "redis";

    public static IHostApplicationBuilder AddStatusUpdater(this IHostApplicationBuilder builder)
    {
        builder.AddSagaMessaging().AddSagaConsumer("status-updater");
        builder.AddRedisClient(RedisConnectionName);
        builder.Services.AddOptions<OrderCacheOptions>().BindConfiguration(OrderCacheOptions.Section);
        builder.Services.AddSingleton<OrderStatusCache>();
        builder.Services.AddEventHandler<OrderStatusProjector>(
            EventTypes.OrderCreated, EventTypes.InventoryReserved, EventTypes.InventoryFailed, EventTypes.PaymentCompleted,
            EventTypes.PaymentFailed, EventTypes.InventoryReleased, EventTypes.OrderShipped);
        return builder;
    }
}
