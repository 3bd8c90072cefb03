namespace OrderSaga.Messaging.Storage;

/// <summary>
/// An event a consumer could not apply even after its quick retries, waiting to be published again at
/// <see cref="DueAt"/>: a failure that outlasts seconds gets minutes, without holding up the other orders of its
/// partition meanwhile.
/// </summary>
public sealed class DeferredEvent
{
    public long Id { get; init; }

    /// <summary>The consumer group that failed; only it acts on the copy.</summary>
    public required string Consumer { get; init; }

    public Guid EventId { get; init; }
    public required string MessageKey { get; init; }
    public required string EventType { get; init; }
    public required string Envelope { get; init; }
    public string? TraceParent { get; init; }

    /// <summary>The retry round the copy will be: 1 for the first deferral.</summary>
    public int Round { get; init; }

    public DateTimeOffset DueAt { get; init; }
    public required string LastError { get; init; }
}
