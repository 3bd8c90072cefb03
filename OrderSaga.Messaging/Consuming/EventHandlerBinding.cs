using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Messaging.Consuming;

/// <summary>A handler's step, bound to one event and ready to run in a service scope.</summary>
public delegate Task EventStep(IServiceProvider services, CancellationToken cancellationToken);

/// <summary>How the consumer reaches one handler for one event type.</summary>
public abstract class EventHandlerBinding(string eventType, Type handlerType)
{
    /// <summary>The envelope <c>type</c> this binding takes.</summary>
    public string EventType { get; } = eventType;

    public Type HandlerType { get; } = handlerType;

    /// <summary>Whether the handler loads a batch's entities up front (<see cref="IPreloadingEventHandler"/>).</summary>
    public bool Preloads { get; } = typeof(IPreloadingEventHandler).IsAssignableFrom(handlerType);

    /// <summary>Reads the payload and binds it to the handler; throws <see cref="System.Text.Json.JsonException"/> when it is malformed.</summary>
    public abstract EventStep Bind(EventEnvelope envelope);
}

internal sealed class EventHandlerBinding<TEvent, THandler>() : EventHandlerBinding(EventType<TEvent>.Name, typeof(THandler))
    where TEvent : ISagaEvent
    where THandler : IEventHandler<TEvent>
{
    public override EventStep Bind(EventEnvelope envelope)
    {
        var @event = new SagaEvent<TEvent>(envelope, envelope.PayloadAs<TEvent>());
        return (services, cancellationToken) => services.GetRequiredService<THandler>().HandleAsync(@event, cancellationToken);
    }
}

internal sealed class EnvelopeHandlerBinding<THandler>(string eventType) : EventHandlerBinding(eventType, typeof(THandler))
    where THandler : IEnvelopeHandler
{
    private readonly Type _payload = EventTypes.Payloads.TryGetValue(eventType, out var payload)
        ? payload
        : throw new ArgumentException($"{eventType} is not an event type.", nameof(eventType));

    public override EventStep Bind(EventEnvelope envelope)
    {
        _ = envelope.Payload.Deserialize(_payload, EventJson.Options) ?? throw new JsonException($"Event {envelope.EventId} has an empty {envelope.Type} payload.");
        return (services, cancellationToken) => services.GetRequiredService<THandler>().HandleAsync(envelope, cancellationToken);
    }
}
