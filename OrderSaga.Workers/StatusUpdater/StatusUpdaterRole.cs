using OrderSaga.Data.Caching;
using OrderSaga.Data.StuckOrders;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Events;
using OrderSaga.Topology;

namespace OrderSaga.Workers.StatusUpdater;

public static class StatusUpdaterRole
{
    public static IHostApplicationBuilder AddStatusUpdater(this IHostApplicationBuilder builder)
    {
        // The reconciler publishes a stuck order's latest event again, through this service's own relay.
        builder.AddSagaMessaging().AddSagaConsumer(SagaRoles.StatusUpdater).AddOutboxRelay();
        builder.AddOrderStatusCache();
        // Every step of the saga is audited; OrderExpired is projected by the reconciler that decides it.
        builder.Services.AddEnvelopeHandler<OrderStatusProjector>(SagaRoles.StatusUpdater,
            EventTypes.OrderCreated, EventTypes.InventoryReserved, EventTypes.InventoryFailed, EventTypes.PaymentCompleted,
            EventTypes.PaymentFailed, EventTypes.InventoryReleased, EventTypes.OrderShipped);
        builder.Services.AddStuckOrderRedrive();
        builder.Services.AddOptions<ReconcilerOptions>().BindConfiguration(ReconcilerOptions.Section);
        builder.Services.AddGatedHostedService<StuckOrderReconciler>();
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddGatedHostedService<RetentionPurger>();
        return builder;
    }
}
