using OrderSaga.Data.Caching;
using OrderSaga.Messaging;
using OrderSaga.Topology;

namespace OrderSaga.Workers.StatusUpdater;

public static class StatusUpdaterRole
{
    public static IHostApplicationBuilder AddStatusUpdater(this IHostApplicationBuilder builder)
    {
        builder.AddSagaMessaging().AddSagaConsumer(SagaRoles.StatusUpdater);
        builder.AddOrderStatusCache();
        builder.Services.AddEventHandler<OrderStatusProjector>();
        return builder;
    }
}
