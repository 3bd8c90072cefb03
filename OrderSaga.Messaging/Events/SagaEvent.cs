namespace OrderSaga.Messaging.Events;

/// <summary>An event as a handler receives it: the envelope it came in and its typed payload.</summary>
public sealed record SagaEvent<TEvent>(EventEnvelope Envelope, TEvent Payload) where TEvent : ISagaEvent
{
    public Guid EventId => Envelope.EventId;

    public Guid OrderId => Envelope.OrderId;
}
