using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderSaga.Data.ReadModels;
using OrderSaga.Topology;
using StackExchange.Redis;

namespace OrderSaga.Data.Caching;

/// <summary>
/// The Redis status cache. The status-updater writes through after every committed change; readers fill it on
/// a miss without ever overwriting (so a late reader cannot put back an older status). Orders in flight are
/// cached briefly, settled ones for long, which bounds how stale a lost write can leave the cache. Redis being
/// down or not answering is a cache miss, never an error: PostgreSQL is the source of truth.
/// </summary>
public sealed class OrderStatusCache(IConnectionMultiplexer redis, IOptions<OrderCacheOptions> options, ILogger<OrderStatusCache> logger)
{
    private static readonly JsonSerializerOptions Json = CachedOrderView.SerializerOptions;

    public static RedisKey Key(Guid orderId) => $"order:{orderId}";

    /// <summary>The order as cached, in the JSON a reader is answered with; null on a miss.</summary>
    public async Task<CachedOrderView?> GetAsync(Guid orderId)
    {
        try
        {
            var cached = await redis.GetDatabase().StringGetAsync(Key(orderId)).WaitAsync(options.Value.CommandTimeout);
            if (!cached.HasValue)
            {
                return null;
            }

            if (CachedOrderView.Read((byte[])cached!) is { } view)
            {
                return view;
            }

            logger.LogWarning("The cached order {OrderId} names no owner; using the database", orderId);
            return null;
        }
        // Not only RedisException: a timeout is a TimeoutException, and a connection torn down mid-read has
        // thrown InvalidOperationException. Whatever Redis does, the database answers.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Reading order {OrderId} from the cache failed; using the database", orderId);
            return null;
        }
    }

    /// <summary>Write-through by the single writer of order status.</summary>
    public Task SetAsync(OrderView view) => WriteAsync(view, When.Always);

    /// <summary>Cache-aside fill after a miss; leaves a value the status-updater wrote in the meantime alone.</summary>
    public Task AddIfAbsentAsync(OrderView view) => WriteAsync(view, When.NotExists);

    private TimeSpan TimeToLive(OrderView view) =>
        OrderStatus.IsFinal(view.Status)
            ? options.Value.TimeToLive
            : options.Value.InFlightTimeToLive;

    private async Task WriteAsync(OrderView view, When when)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(Key(view.OrderId), JsonSerializer.Serialize(view, Json), TimeToLive(view), when)
                .WaitAsync(options.Value.CommandTimeout);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Caching order {OrderId} failed; readers will use the database", view.OrderId);
        }
    }
}
