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

internal sealed class EventHandlerBinding<TEvent, THandler>() : EventHandlerBinding(TEvent.Type, typeof(THandler))
    where TEvent : ISagaEvent
    where THandler : IEventHandler<TEvent>
{
    public override EventStep Bind(EventEnvelope envelope)
    {
        var @event = new SagaEvent<TEvent>(envelope, envelope.PayloadAs<TEvent>());
        return (services, cancellationToken) => services.GetRequiredService<THandler>().HandleAsync(@event, cancellationToken);
    }
}
