using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OrderSaga.Api.Orders;

/// <summary>
/// The fast path of Idempotency-Key: Redis <c>SET NX</c> with a time-to-live. It is an optimisation, not the
/// guarantee: when Redis is unreachable, does not answer or fails in any other way, the unique key column in PostgreSQL still makes one order per key.
/// </summary>
public sealed class IdempotencyKeys(IConnectionMultiplexer redis, IOptions<IdempotencyOptions> options, ILogger<IdempotencyKeys> logger)
{
    /// <summary>
    /// The Redis key of a user's Idempotency-Key. The user id's length goes first, so no pair of user and key can
    /// spell another's (<c>acme:42</c> + <c>7</c> and <c>acme</c> + <c>42:7</c> would collide if simply joined).
    /// </summary>
    public static RedisKey Key(string userId, string idempotencyKey) => $"idempotency:{userId.Length}:{userId}:{idempotencyKey}";

    /// <summary>Claims the key for <paramref name="orderId"/>; returns the order that claimed it first, or null when we did (or Redis is down).</summary>
    public async Task<Guid?> ClaimAsync(string userId, string idempotencyKey, Guid orderId)
    {
        try
        {
            var db = redis.GetDatabase();
            var key = Key(userId, idempotencyKey);
            if (await db.StringSetAsync(key, orderId.ToString(), options.Value.TimeToLive, When.NotExists).WaitAsync(options.Value.CommandTimeout))
            {
                return null;
            }

            var holder = await db.StringGetAsync(key).WaitAsync(options.Value.CommandTimeout);
            return Guid.TryParse(holder.ToString(), out var existing) ? existing : null;
        }
        // Not only RedisException: a timeout is a TimeoutException, and a connection torn down mid-read has
        // thrown InvalidOperationException. Whatever Redis does, the database decides.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Redis is unavailable; Idempotency-Key is enforced by the database alone");
            return null;
        }
    }

    /// <summary>Points the key at the order that was actually stored.</summary>
    public Task AssignAsync(string userId, string idempotencyKey, Guid orderId) =>
        RunAsync(db => db.StringSetAsync(Key(userId, idempotencyKey), orderId.ToString(), options.Value.TimeToLive));

    /// <summary>Gives the key up after a failed attempt, if it still names our order.</summary>
    public Task ReleaseAsync(string userId, string idempotencyKey, Guid orderId) =>
        RunAsync(db =>
        {
            var key = Key(userId, idempotencyKey);
            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.StringEqual(key, orderId.ToString()));
            _ = transaction.KeyDeleteAsync(key);
            return transaction.ExecuteAsync();
        });

    private async Task RunAsync(Func<IDatabase, Task> command)
    {
        try
        {
            await command(redis.GetDatabase()).WaitAsync(options.Value.CommandTimeout);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Updating an idempotency key in Redis failed");
        }
    }
}
