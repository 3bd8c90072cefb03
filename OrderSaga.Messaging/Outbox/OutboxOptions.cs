using System.ComponentModel.DataAnnotations;

namespace OrderSaga.Messaging.Outbox;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>The safety-net poll; commits in this process wake the relay at once.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);
}
