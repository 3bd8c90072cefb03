namespace OrderSaga.Messaging.Outbox;

/// <summary>
/// Wakes the outbox relay as soon as a transaction with new events commits, instead of at the next poll. Any number
/// of commits before the relay wakes cost it one wake-up: it reads everything committed by then.
/// </summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private int _signalled;

    public void Notify()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Waits for a notification or the poll interval, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        // Only the wait that took the wake-up re-arms it: a wake-up released after a timeout is still pending and
        // is taken by the next wait, so there is never more than one.
        if (await _wake.WaitAsync(pollInterval, cancellationToken))
        {
            Volatile.Write(ref _signalled, 0);
        }
    }
}
