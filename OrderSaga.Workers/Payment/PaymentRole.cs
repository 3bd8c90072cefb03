using OrderSaga.Messaging;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Workers.Payment;

public static class PaymentRole
{
    public static IHostApplicationBuilder AddPayment(this IHostApplicationBuilder builder)
    {
        builder.AddSagaMessaging().AddOutboxRelay().AddSagaConsumer("payment");
        builder.Services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PaymentDecider>();
        builder.Services.AddEventHandler<ChargePaymentHandler>(EventTypes.InventoryReserved);
        return builder;
    }
}
