using OrderSaga.Data.Redis;

namespace OrderSaga.Api.Orders;

public static class IdempotencyRegistration
{
    /// <summary>The fast path of Idempotency-Key, on the process's fail-fast Redis client.</summary>
    public static IHostApplicationBuilder AddIdempotencyKeys(this IHostApplicationBuilder builder)
    {
        builder.AddFailFastRedisClient();
        builder.Services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.Section);
        builder.Services.AddSingleton<IdempotencyKeys>();
        return builder;
    }
}
