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

    /// <summary>
    /// After a wake-up that published several rows, how long after it the relay takes the next (<see cref="Consuming.BatchWindow"/>):
    /// under a steady load one produce request and one mark carry a window's rows; after a row alone the next is
    /// published at once. Zero publishes at every wake-up.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(20);
}
