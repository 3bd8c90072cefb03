using System.Text.Json;
using OrderSaga.Data;

namespace OrderSaga.Api;

public static class ApiDependencies
{
    public const string RedisConnectionName = "redis";
    public const string KafkaConnectionName = "kafka";

    public static IHostApplicationBuilder AddApiDependencies(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<OrderSagaDbContext>(OrderSagaDbContextOptions.ConnectionName,
            configureDbContextOptions: options => options.UseOrderSagaConventions());

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        // The contract speaks snake_case (order_id, user_id), like the system it re-creates.
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        return builder;
    }
}
