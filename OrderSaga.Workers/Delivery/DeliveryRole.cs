using OrderSaga.Messaging;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Workers.Delivery;

public static class DeliveryRole
{
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.AddSagaMessaging().AddOutboxRelay().AddSagaConsumer("delivery");
        builder.Services.AddEventHandler<ShipOrderHandler>(EventTypes.PaymentCompleted);
        return builder;
    }
}
