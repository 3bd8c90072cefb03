namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// Spaces out batches while work keeps coming: a batch takes its work no sooner than <c>window</c> after the one
/// before took its own, so under a steady load one transaction (one commit, one produce request, one wake-up of
/// every consumer downstream) serves the events of a whole window instead of one or two. After a quiet spell
/// nothing waits: an order placed alone goes through every step at once.
/// </summary>
public sealed class BatchWindow(TimeSpan window, TimeProvider time)
{
    private long? _lastTaken;

    /// <summary>How long the next batch should still gather work before it takes it.</summary>
    public TimeSpan WaitBeforeTaking() =>
        _lastTaken is { } last && window - time.GetElapsedTime(last) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    /// <summary>The batch takes its work now.</summary>
    public void Taking() => _lastTaken = time.GetTimestamp();
}
