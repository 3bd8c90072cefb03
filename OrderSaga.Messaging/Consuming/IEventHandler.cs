using OrderSaga.Messaging.Events;

namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// One saga step: what a role does when an event of type <typeparamref name="TEvent"/> arrives. Register it with
/// <see cref="SagaMessagingExtensions.AddEventHandler{THandler}"/>; a class may handle several event types.
/// </summary>
/// <remarks>
/// The consumer has already read the payload and claimed the event once-only when this runs, inside the
/// transaction that <see cref="Outbox.SagaUnitOfWork"/> commits afterwards: what the step changes and the
/// events it publishes through the unit of work take effect together with the claim, or not at all. The steps of
/// one batch share that unit of work and are saved together at its end: a step sees what an earlier one changed
/// through the entities the unit of work tracks (or statements it ran), never through a query of unsaved rows.
/// </remarks>
public interface IEventHandler<TEvent> where TEvent : ISagaEvent
{
    Task HandleAsync(SagaEvent<TEvent> @event, CancellationToken cancellationToken);
}
