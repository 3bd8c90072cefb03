using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace OrderSaga.Messaging.Hosting;

/// <summary>
/// Housekeeping that runs every <see cref="Interval"/> for the life of the service. A failed round is logged and
/// the next one tries again: housekeeping must never stop the service it runs in. Its rounds are not traced: each
/// would be a trace of its own (four a second at rest for the roles' deferral polls) in the dashboard users read
/// for orders; what a round sends on carries the trace of the order it belongs to, and its logs say what it did.
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
                using var untraced = SuppressInstrumentationScope.Begin();
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "{Job} failed; trying again in {Interval}", GetType().Name, Interval);
            }
        }
    }
}
