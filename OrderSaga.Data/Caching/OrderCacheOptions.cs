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
}
