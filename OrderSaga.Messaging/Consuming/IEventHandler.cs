using OrderSaga.Messaging.Events;

namespace OrderSaga.Messaging.Consuming;

/// <summary>Applies the effect of the event types it was registered for (<see cref="SagaMessagingExtensions.AddEventHandler{THandler}"/>).</summary>
public interface IEventHandler
{
    /// <summary>Must be idempotent: the same event may arrive more than once (use <see cref="Outbox.SagaUnitOfWork.ExecuteOnceAsync"/>).</summary>
    Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken);
}

/// <summary>Which handler takes which event types; a consumer ignores every other type.</summary>
public sealed record EventHandlerRegistration(Type HandlerType, IReadOnlySet<string> EventTypes);
