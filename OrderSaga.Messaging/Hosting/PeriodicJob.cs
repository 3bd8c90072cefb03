using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderSaga.Messaging.Hosting;

/// <summary>
/// Housekeeping that runs every <see cref="Interval"/> for the life of the service. A failed round is logged and
/// the next one tries again: housekeeping must never stop the service it runs in.
/// </summary>
public abstract class PeriodicJob(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time => time;

    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "{Job} failed; trying again in {Interval}", GetType().Name, Interval);
            }
        }
    }
}
