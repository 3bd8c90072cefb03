namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// Spaces out batches while work keeps coming: after a batch that found more than one item, the next takes its work
/// no sooner than <c>window</c> after it, so under a steady load one transaction (one commit, one produce request,
/// one wake-up of every consumer downstream) serves the events of a whole window instead of a few. After a batch of
/// one nothing waits: an order placed alone, or a light load, goes through every step at once.
/// </summary>
public sealed class BatchWindow(TimeSpan window, TimeProvider time)
{
    private long? _lastTaken;

    /// <summary>How long the next batch should still gather work before it takes it.</summary>
    public TimeSpan WaitBeforeTaking() =>
        _lastTaken is { } last && window - time.GetElapsedTime(last) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    /// <summary>The batch took <paramref name="count"/> items now.</summary>
    public void Took(int count) => _lastTaken = count > 1 ? time.GetTimestamp() : null;
}
