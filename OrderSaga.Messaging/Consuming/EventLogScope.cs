using System.Collections;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Messaging.Consuming;

/// <summary>The event's identity on every log entry written while it is handled, filterable in the dashboard.</summary>
internal sealed class EventLogScope(EventEnvelope envelope) : IReadOnlyList<KeyValuePair<string, object>>
{
    public int Count => 3;

    public KeyValuePair<string, object> this[int index] => index switch
    {
        0 => new("EventId", envelope.EventId),
        1 => new("OrderId", envelope.OrderId),
        2 => new("EventType", envelope.Type),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (var index = 0; index < Count; index++)
        {
            yield return this[index];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"EventId:{envelope.EventId} OrderId:{envelope.OrderId} EventType:{envelope.Type}";
}
