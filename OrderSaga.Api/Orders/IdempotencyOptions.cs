namespace OrderSaga.Api.Orders;

public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>How long Redis remembers a key; PostgreSQL's unique (user_id, idempotency_key) remembers it for good.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a Redis command may take before the database alone decides (a hung Redis).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
