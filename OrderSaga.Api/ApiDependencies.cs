using OrderSaga.Api.Orders;
using OrderSaga.Api.Security;
using OrderSaga.Data;
using OrderSaga.Data.Caching;
using OrderSaga.Data.Provisioning;
using OrderSaga.Data.Redis;
using OrderSaga.Messaging;
using OrderSaga.Topology;

namespace OrderSaga.Api;

public static class ApiDependencies
{
    public static IHostApplicationBuilder AddApiDependencies(this IHostApplicationBuilder builder)
    {
        builder.AddOrderSagaDatabase();
        builder.AddOrderStatusCache();
        builder.AddIdempotencyKeys();
        builder.AddSagaMessaging().AddOutboxRelay();
        builder.Services.AddProvisionedChecks();
        // Orders are taken while Redis or the broker is away (the database and the outbox are enough), even by an
        // api started meanwhile, which cannot ask the broker for its topics. While PostgreSQL is away the api stays
        // ready too: it answers 503 problem details with Retry-After, and cached orders, instead of leaving a load
        // balancer with no api to send clients to.
        builder.Services.DegradeWhenFailing(RedisClientRegistration.HealthCheckName, ResourceNames.Kafka, ProvisionedChecks.TopicsCheck,
            OrderSagaDbContextOptions.HealthCheckName);
        builder.AddApiSecurity();

        builder.Services.AddOptions<CatalogueOptions>().BindConfiguration(CatalogueOptions.Section);
        builder.Services.AddSingleton<ProductPrices>();
        builder.Services.AddScoped<OrderPlacement>();

        builder.AddHttpConventions();
        builder.Services.AddOpenApi();
        return builder;
    }
}
