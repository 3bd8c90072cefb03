namespace OrderSaga.Messaging.Storage;

/// <summary>
/// An event a role could not apply and handed on to its retry rounds or the dead-letter topic: that role has it, even
/// while no copy of it waits anywhere (between two rounds, or parked for an operator), so it is not lost.
/// </summary>
public sealed class FailedEvent
{
    /// <summary>The role that failed, as in <see cref="ProcessedEvent.Consumer"/>.</summary>
    public required string Consumer { get; init; }

    public Guid EventId { get; init; }
    public required string MessageKey { get; init; }
    public required string EventType { get; init; }

    /// <summary>When the role first gave up its quick attempts at it.</summary>
    public DateTimeOffset FailedAt { get; init; }
}
