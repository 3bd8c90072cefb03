namespace OrderSaga.Messaging.Events;

/// <summary>The <c>type</c> of <typeparamref name="TEvent"/> on the topic: the record's own name.</summary>
public static class EventType<TEvent> where TEvent : ISagaEvent
{
    public static readonly string Name = typeof(TEvent).Name;
}
