using System.ComponentModel.DataAnnotations;

namespace OrderSaga.Api.Security;

/// <summary>
/// How many orders one user may place: a token bucket of <see cref="Burst"/> orders that refills by
/// <see cref="PerSecond"/> each second. Generous by default, so the benchmark's users are never held back;
/// it stops a runaway client, not a busy shop. The bucket is shared by every api replica through Redis
/// (<see cref="SharedOrderRateLimiter"/>).
/// </summary>
public sealed class OrderRateLimitOptions
{
    public const string Section = "RateLimiting:Orders";

    [Range(1, 1_000_000)]
    public int PerSecond { get; set; } = 500;

    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 1_000;

    /// <summary>How long the shared bucket in Redis may take to answer before the replica counts alone.</summary>
    public TimeSpan SharedTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
