using OrderSaga.Messaging.Events;

namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// A saga step that treats events of several types alike and needs only their envelope (the status-updater audits
/// each as it came). Register it with <see cref="SagaMessagingExtensions.AddEnvelopeHandler{THandler}"/> for the
/// types it takes. Each payload is still read as its type first, so a malformed one is dead-lettered as it is for an
/// <see cref="IEventHandler{TEvent}"/>, whose remarks on the unit of work hold here too.
/// </summary>
public interface IEnvelopeHandler
{
    Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken);
}
