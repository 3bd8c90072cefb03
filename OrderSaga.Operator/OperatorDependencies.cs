using OrderSaga.Data;
using OrderSaga.Data.Provisioning;
using OrderSaga.Data.StuckOrders;
using OrderSaga.Messaging;
using OrderSaga.Messaging.DeadLetters;
using OrderSaga.Operator.Board;
using OrderSaga.Operator.CustomerApi;
using OrderSaga.Topology;

namespace OrderSaga.Operator;

public static class OperatorDependencies
{
    public static IHostApplicationBuilder AddOperatorDependencies(this IHostApplicationBuilder builder)
    {
        builder.AddOrderSagaDatabase();
        // A re-drive of stuck orders marks their latest events unsent; this service's own relay publishes them at once.
        builder.AddSagaMessaging().AddOutboxRelay();
        builder.Services.AddProvisionedChecks();
        // Stuck orders are found and re-driven while the broker is away; only the board and dead letters need it.
        builder.Services.DegradeWhenFailing(ResourceNames.Kafka);
        builder.Services.AddStuckOrderRedrive();
        builder.Services.AddSingleton<DeadLetterArchive>();
        builder.AddSagaBoard();
        builder.AddCustomerApiClient();
        builder.AddOperatorAccess();
        builder.AddHttpConventions();
        builder.Services.AddOpenApi();
        return builder;
    }
}
