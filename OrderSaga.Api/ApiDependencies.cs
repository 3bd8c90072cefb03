using System.Text.Json;
using OrderSaga.Api.Orders;
using OrderSaga.Data;
using OrderSaga.Data.Caching;
using OrderSaga.Messaging;

namespace OrderSaga.Api;

public static class ApiDependencies
{
    public static IHostApplicationBuilder AddApiDependencies(this IHostApplicationBuilder builder)
    {
        builder.AddOrderSagaDatabase();
        builder.AddOrderStatusCache();
        builder.AddSagaMessaging().AddOutboxRelay();

        builder.Services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.Section);
        builder.Services.AddSingleton<IdempotencyKeys>();
        builder.Services.AddScoped<OrderPlacement>();

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        // The contract speaks snake_case (order_id, user_id), like the system it re-creates.
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        return builder;
    }
}
