namespace OrderSaga.Messaging.Events;

/// <summary>The <c>type</c> of <typeparamref name="TEvent"/> on the topic, as its record declares it (<see cref="WireNameAttribute"/>).</summary>
public static class EventType<TEvent> where TEvent : ISagaEvent
{
    public static readonly string Name = WireNameAttribute.Of(typeof(TEvent));
}
