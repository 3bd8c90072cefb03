namespace OrderSaga.DevServers.Kafka;

/// <summary>
/// Counts the produce requests the broker has answered, so a fetch waiting for data learns that some may have
/// arrived. Every waiting fetch wakes: each role's consumer reads every partition of the saga's one topic.
/// </summary>
public sealed class ProducedRecords
{
    private readonly Lock _lock = new();
    private long _count;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void Answered()
    {
        TaskCompletionSource waiting;
        lock (_lock)
        {
            _count++;
            waiting = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        waiting.SetResult();
    }

    /// <summary>Returns once the count has moved past <paramref name="seen"/>, or when <paramref name="wait"/> has run out.</summary>
    public async Task WaitPastAsync(long seen, TimeSpan wait, CancellationToken cancellationToken)
    {
        Task next;
        lock (_lock)
        {
            if (_count != seen || wait <= TimeSpan.Zero)
            {
                return;
            }

            next = _next.Task;
        }

        await next.WaitAsync(wait, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
