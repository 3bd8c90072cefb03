namespace OrderSaga.Messaging.Storage;

/// <summary>
/// An event committed in the same transaction as the change that caused it, waiting for the relay to publish it.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; init; }
    public Guid EventId { get; init; }
    public required string Topic { get; init; }
    public required string MessageKey { get; init; }
    public required string EventType { get; init; }
    public required string Envelope { get; init; }

    /// <summary>The W3C traceparent of the work that wrote the event, so its publication joins the same trace.</summary>
    public string? TraceParent { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>When the relay gave up on a row the broker can never take (too large, say); it is not retried.</summary>
    public DateTimeOffset? SetAsideAt { get; set; }

    /// <summary>When the reconciler last published the row again because its order had stopped moving; null if never.</summary>
    public DateTimeOffset? RedrivenAt { get; set; }

    /// <summary>Why the last publication failed.</summary>
    public string? LastError { get; set; }
}
