using OrderSaga.Messaging.Storage;

namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// A handler that reads or locks what a whole batch of its events needs at once, before any of them runs, so its
/// steps work on what it loaded and the consumer saves the batch once.
/// </summary>
public interface IPreloadingEventHandler
{
    /// <summary>
    /// Statements for what the events of these orders need, sent with the batch's once-only claims in the same
    /// round trip (so for every event of the batch, including one whose claim turns out to be taken).
    /// </summary>
    IEnumerable<BatchQuery> PreloadQueries(IReadOnlyCollection<Guid> orderIds) => [];

    /// <summary>Loads and tracks what the coming events of these orders need, once the claims are known; in the batch's transaction.</summary>
    Task PreloadAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken) => Task.CompletedTask;
}
