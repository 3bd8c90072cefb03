namespace OrderSaga.Messaging.Outbox;

/// <summary>Wakes the outbox relay as soon as a transaction with new events commits, instead of at the next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; the relay will pick up everything committed so far.
        }
    }

    /// <summary>Waits for a notification or the poll interval, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan pollInterval, CancellationToken cancellationToken) =>
        _pending.WaitAsync(pollInterval, cancellationToken);
}
