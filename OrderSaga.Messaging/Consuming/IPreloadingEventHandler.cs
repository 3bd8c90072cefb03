namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// A handler that reads what a whole batch of its events needs in one query, before any of them runs. Its steps
/// then work on the entities it loaded and tracks, so the consumer saves their changes together at the end of
/// the batch instead of once per event.
/// </summary>
public interface IPreloadingEventHandler
{
    /// <summary>Loads and tracks what the coming events of these orders need; called once per batch, in its transaction.</summary>
    Task PreloadAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken);
}
