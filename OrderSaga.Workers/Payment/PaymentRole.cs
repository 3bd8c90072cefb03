using OrderSaga.Messaging;
using OrderSaga.Topology;

namespace OrderSaga.Workers.Payment;

public static class PaymentRole
{
    public static IHostApplicationBuilder AddPayment(this IHostApplicationBuilder builder)
    {
        builder.AddSagaMessaging().AddOutboxRelay().AddSagaConsumer(SagaRoles.Payment);
        builder.Services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PaymentDecider>();
        builder.Services.AddEventHandler<ChargePaymentHandler>(SagaRoles.Payment);
        return builder;
    }
}
