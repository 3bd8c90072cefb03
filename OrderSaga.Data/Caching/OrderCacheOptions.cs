namespace OrderSaga.Data.Caching;

public sealed class OrderCacheOptions
{
    public const string Section = "OrderCache";

    /// <summary>How long a settled (SHIPPED or CANCELLED) order stays cached; its status can no longer change.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long an order still in flight stays cached. Its status changes within moments, so if a write-through is
    /// ever lost (Redis briefly unreachable) a stale entry must not outlive this bound.
    /// </summary>
    public TimeSpan InFlightTimeToLive { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a cache read or write may take before it counts as a miss. A hung Redis (connected, never
    /// answering) must cost a request this much at most, not the client's timeout of seconds, which stays as it
    /// is for the health check, so a busy machine's slow PING is not reported as an outage.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
