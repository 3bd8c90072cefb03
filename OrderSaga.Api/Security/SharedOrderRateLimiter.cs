using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace OrderSaga.Api.Security;

/// <summary>
/// One user's order limit, a token bucket kept in Redis so every api replica draws from the same one: with N
/// replicas behind a load balancer a user still gets <see cref="OrderRateLimitOptions.Burst"/> orders, not N times
/// as many. Redis's own clock refills it, so replicas whose clocks disagree still agree on the bucket. When Redis
/// does not answer, the replica falls back to a bucket of its own for the user (the per-process limit) rather than
/// refusing orders or letting them all through.
/// </summary>
public sealed class SharedOrderRateLimiter(
    string userId,
    IConnectionMultiplexer redis,
    OrderRateLimitOptions limits,
    ILogger logger) : RateLimiter
{
    // Refills by elapsed time, takes one token if there is one, and says how long until the next one otherwise.
    // The key lives as long as a full refill takes, so idle users cost Redis nothing.
    private const string TakeToken = """
        local burst = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or burst
        local at = tonumber(state[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - 1
        else
          wait = (1 - tokens) / rate
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
        redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
        return tostring(wait)
        """;

    private static readonly RateLimitLease Granted = new Lease(true, null);

    private readonly TokenBucketRateLimiter _ownBucket = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = limits.Burst,
        TokensPerPeriod = limits.PerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
    });

    private long _lastUsed = Stopwatch.GetTimestamp();

    /// <summary>The Redis key of a user's bucket.</summary>
    public static RedisKey Key(string userId) => $"order-rate:{userId}";

    /// <summary>Since the user last ordered: the middleware drops the limiter of a user idle for a while (the bucket stays in Redis).</summary>
    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    /// <summary>Answers nothing without asking Redis: the middleware then asks <see cref="AcquireAsyncCore"/>.</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => new Lease(false, null);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
        try
        {
            var wait = (string?)await redis.GetDatabase()
                .ScriptEvaluateAsync(TakeToken, [Key(userId)], [limits.Burst, limits.PerSecond])
                .WaitAsync(limits.SharedTimeout, cancellationToken);
            var retryAfter = double.Parse(wait ?? "0", CultureInfo.InvariantCulture);
            return retryAfter == 0 ? Granted : new Lease(false, TimeSpan.FromSeconds(retryAfter));
        }
        // A timeout, a refused connection or a torn-down one: whatever Redis does, this replica decides alone.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Redis is unavailable; the order limit of {UserId} is counted by this replica alone", userId);
            return _ownBucket.AttemptAcquire(permitCount);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownBucket.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Lease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
