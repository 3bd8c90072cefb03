using OrderSaga.Messaging;
using OrderSaga.Topology;

namespace OrderSaga.Workers.Delivery;

public static class DeliveryRole
{
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.AddSagaMessaging().AddOutboxRelay().AddSagaConsumer(SagaRoles.Delivery);
        builder.Services.AddEventHandler<ShipOrderHandler>(SagaRoles.Delivery);
        return builder;
    }
}
