using OrderSaga.Data.Caching;
using OrderSaga.Messaging;
using OrderSaga.Topology;

namespace OrderSaga.Workers.StatusUpdater;

public static class StatusUpdaterRole
{
    public static IHostApplicationBuilder AddStatusUpdater(this IHostApplicationBuilder builder)
    {
        // The reconciler publishes a stuck order's latest event again, through this service's own relay.
        builder.AddSagaMessaging().AddSagaConsumer(SagaRoles.StatusUpdater).AddOutboxRelay();
        builder.AddOrderStatusCache();
        builder.Services.AddEventHandler<OrderStatusProjector>(SagaRoles.StatusUpdater);
        builder.Services.AddOptions<ReconcilerOptions>().BindConfiguration(ReconcilerOptions.Section);
        builder.Services.AddHostedService<StuckOrderReconciler>();
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<RetentionPurger>();
        return builder;
    }
}
