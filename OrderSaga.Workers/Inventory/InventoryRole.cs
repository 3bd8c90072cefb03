using OrderSaga.Messaging;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Workers.Inventory;

public static class InventoryRole
{
    public static IHostApplicationBuilder AddInventory(this IHostApplicationBuilder builder)
    {
        builder.AddSagaMessaging().AddOutboxRelay().AddSagaConsumer("inventory");
        builder.Services.AddEventHandler<ReserveStockHandler>(EventTypes.OrderCreated);
        builder.Services.AddEventHandler<ReleaseStockHandler>(EventTypes.PaymentFailed);
        return builder;
    }
}
