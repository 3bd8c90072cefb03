using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderSaga.Topology;
using StackExchange.Redis;

namespace OrderSaga.Data.Redis;

public static class RedisClientRegistration
{
    /// <summary>The name Aspire's Redis client gives its health check.</summary>
    public const string HealthCheckName = "StackExchange.Redis";

    /// <summary>
    /// The process's one Redis client, for every use of Redis here, each of which PostgreSQL can stand in for.
    /// Commands fail at once while Redis is unreachable instead of queueing until a timeout: down must mean a quick
    /// miss, not a slow request. Reconnecting is tried every second: with the default exponential backoff, the api
    /// and the status-updater went on without Redis for over a minute after it had been away for five seconds
    /// (found by the fault drills). Registering it again is a no-op, so each use can ask for it.
    /// </summary>
    public static IHostApplicationBuilder AddFailFastRedisClient(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(service => service.ServiceType == typeof(IConnectionMultiplexer)))
        {
            return builder;
        }

        builder.AddRedisClient(ResourceNames.Redis, configureOptions: options =>
        {
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.ReconnectRetryPolicy = new LinearRetry(1_000);
        });
        return builder;
    }
}
