namespace OrderSaga.DevServers.Kafka;

/// <summary>
/// How many requests the broker has been sent, by API: what the saga asks of a broker per order (fetches above all),
/// logged at Debug as the counts move (the benchmark reads them there).
/// </summary>
public sealed class RelayedRequests
{
    // Kafka's API keys are small numbers; one slot each, counted without a lock from every connection.
    private readonly long[] _byApiKey = new long[128];

    public void Count(short apiKey)
    {
        if (apiKey >= 0 && apiKey < _byApiKey.Length)
        {
            Interlocked.Increment(ref _byApiKey[apiKey]);
        }
    }

    public long Fetches => Interlocked.Read(ref _byApiKey[KafkaRequest.Fetch]);

    public long Produces => Interlocked.Read(ref _byApiKey[KafkaRequest.Produce]);

    public long All => _byApiKey.Sum(count => Interlocked.Read(ref count));

    /// <summary>Logs the counts every <paramref name="interval"/> while they move, when Debug is on for <paramref name="logger"/>.</summary>
    public async Task LogAsync(ILogger logger, TimeSpan interval, CancellationToken stoppingToken)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        var logged = -1L;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (All is var all && all != logged)
                {
                    logger.LogDebug("Requests relayed: {Fetches} fetches, {Produces} produces, {Requests} in all", Fetches, Produces, all);
                    logged = all;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
