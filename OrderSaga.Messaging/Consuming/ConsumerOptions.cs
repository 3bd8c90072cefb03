using System.ComponentModel.DataAnnotations;

namespace OrderSaga.Messaging.Consuming;

/// <summary>The saga consumer's group and retry policy (<c>Consumer</c> section).</summary>
public sealed class ConsumerOptions : IValidatableObject
{
    public const string Section = "Consumer";

    /// <summary>
    /// Put before every role's group id (<c>staging-</c> gives <c>staging-inventory</c>), so two deployments can
    /// share a broker. The rest of the id is always the role's own: roles sharing a group would split the
    /// partitions between them, and each would skip the events of the others.
    /// </summary>
    public string GroupIdPrefix { get; set; } = "";

    /// <summary>The consumer group: <see cref="GroupIdPrefix"/> and the role name, so every replica of a role shares the work.</summary>
    [Required]
    public string GroupId { get; set; } = "";

    /// <summary>
    /// The saga role, under which its events are claimed once-only (<c>processed_events.consumer</c>): neither a
    /// group prefix nor a renamed handler class changes it, so an event claimed once is never applied twice.
    /// </summary>
    [Required]
    public string Role { get; set; } = "";

    /// <summary>
    /// This replica's stable name for static group membership (<c>group.instance.id</c>): a replica that restarts
    /// under the same name within the session timeout gets its partitions back without rebalancing its group. Only
    /// for names that survive a restart (a StatefulSet's pods); unset, every restart rebalances the group.
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>Attempts per message, the first included, before it goes to the dead-letter topic.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// The most messages taken in one poll. A partition's messages of one poll are applied in one transaction,
    /// so under load a commit serves many events instead of one.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 200;

    /// <summary>
    /// After a batch of several events, how long after it the next may take its events (<see cref="BatchWindow"/>):
    /// under a steady load a batch then holds a window's events, one commit for many; after a batch of one the next
    /// event is taken at once. Zero takes what has arrived at every poll.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long the quick attempts at one poll's failing events may take together; past it, each further failing
    /// event goes straight to the retry schedule. Well below <see cref="MaxPollInterval"/>, so a batch of bad events
    /// never gets the consumer evicted from its group.
    /// </summary>
    public TimeSpan QuickRetryBudget { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest a consumer may take between two polls before the broker takes its partitions away
    /// (<c>max.poll.interval.ms</c>): a batch's work, quick retries and shutdown grace included.
    /// </summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After the quick attempts, how long to wait before each further round of them (<c>Consumer:RetrySchedule:0</c>,
    /// <c>:1</c>, …); when the rounds are spent, the dead-letter topic. Meanwhile the partition moves on.
    /// Not set means <see cref="DefaultRetrySchedule"/>; empty means straight to the dead-letter topic.
    /// </summary>
    public List<TimeSpan>? RetrySchedule { get; set; }

    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule = [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)];

    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule => RetrySchedule ?? DefaultRetrySchedule;

    /// <summary>
    /// On shutdown, how long the batch in hand may take to finish before it is abandoned (rolled back, to be read
    /// again by whoever takes the partition). Keep it below the host's shutdown timeout (30 s).
    /// </summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a role looks for deferred events that are due.</summary>
    public TimeSpan DeferralInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A batch may spend its quick-retry budget and then its deferrals and dead letters: half the interval for
        // the budget leaves the other half for that work.
        if (QuickRetryBudget * 2 > MaxPollInterval)
        {
            yield return new ValidationResult(
                $"{nameof(QuickRetryBudget)} ({QuickRetryBudget}) must be at most half of {nameof(MaxPollInterval)} ({MaxPollInterval})",
                [nameof(QuickRetryBudget), nameof(MaxPollInterval)]);
        }
    }
}
