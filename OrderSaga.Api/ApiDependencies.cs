using System.Text.Json;
using System.Text.Json.Serialization;
using OrderSaga.Api.Board;
using OrderSaga.Api.Orders;
using OrderSaga.Api.Security;
using OrderSaga.Data;
using OrderSaga.Data.Caching;
using OrderSaga.Data.Redis;
using OrderSaga.Messaging;
using OrderSaga.Messaging.DeadLetters;
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
        // Orders are taken while Redis or the broker is away (the database and the outbox are enough).
        builder.Services.DegradeWhenFailing(RedisClientRegistration.HealthCheckName, ResourceNames.Kafka);
        builder.AddApiSecurity();
        builder.AddSagaBoard();

        builder.Services.AddOptions<CatalogueOptions>().BindConfiguration(CatalogueOptions.Section);
        builder.Services.AddSingleton<ProductPrices>();
        builder.Services.AddScoped<OrderPlacement>();
        builder.Services.AddSingleton<DeadLetterArchive>();

        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // Says which value could not be read; other exceptions keep their details to the logs.
            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Detail = bad.Message;
            }

            // Whether the database is down or a request ran out of time, the same request may succeed shortly.
            if (context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable)
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
            }
        });
        builder.Services.AddOpenApi();
        // The contract speaks snake_case (order_id, user_id), like the system it re-creates.
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            // A body means one thing only: "qty":"2" is not a number, and a key given twice is not a choice.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            options.SerializerOptions.AllowDuplicateProperties = false;
        });
        return builder;
    }
}
