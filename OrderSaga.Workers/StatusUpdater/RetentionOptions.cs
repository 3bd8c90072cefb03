using System.ComponentModel.DataAnnotations;

namespace OrderSaga.Workers.StatusUpdater;

public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// How long a once-only claim is kept. It must outlast every way an event can be delivered again (the topic's
    /// retention, seven days by default in Kafka): a claim purged earlier lets a replayed event act twice. A role's
    /// notes of the events it failed (<c>failed_events</c>) are kept as long.
    /// </summary>
    public TimeSpan Claims { get; set; } = TimeSpan.FromDays(8);

    /// <summary>How long a sent outbox row is kept: the reconciler publishes a stuck order's latest one again.</summary>
    public TimeSpan SentEvents { get; set; } = TimeSpan.FromDays(8);

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement, so a purge never holds long locks or writes a burst of WAL.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;
}
