using OrderSaga.Data.Caching;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Workers.StatusUpdater;

public static class StatusUpdaterRole
{
    public static IHostApplicationBuilder AddStatusUpdater(this IHostApplicationBuilder builder)
    {
        builder.AddSagaMessaging().AddSagaConsumer("status-updater");
        builder.AddOrderStatusCache();
        builder.Services.AddEventHandler<OrderStatusProjector>(
            EventTypes.OrderCreated, EventTypes.InventoryReserved, EventTypes.InventoryFailed, EventTypes.PaymentCompleted,
            EventTypes.PaymentFailed, EventTypes.InventoryReleased, EventTypes.OrderShipped);
        return builder;
    }
}
