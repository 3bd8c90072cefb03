namespace OrderSaga.Data.Caching;

public sealed class OrderCacheOptions
{
    public const string Section = "OrderCache";

    /// <summary>How long a cached order lives; a write by the status-updater refreshes it.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(15);
}
