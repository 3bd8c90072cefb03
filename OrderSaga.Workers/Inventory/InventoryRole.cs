using OrderSaga.Messaging;
using OrderSaga.Topology;

namespace OrderSaga.Workers.Inventory;

public static class InventoryRole
{
    public static IHostApplicationBuilder AddInventory(this IHostApplicationBuilder builder)
    {
        builder.AddSagaMessaging().AddOutboxRelay().AddSagaConsumer(SagaRoles.Inventory);
        builder.Services.AddEventHandler<ReserveStockHandler>(SagaRoles.Inventory);
        builder.Services.AddEventHandler<ReleaseStockHandler>(SagaRoles.Inventory);
        return builder;
    }
}
