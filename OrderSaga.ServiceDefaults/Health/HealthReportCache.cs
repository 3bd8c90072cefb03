using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Readiness as the probes read it: the latest report of every check, run again at most once per
/// <see cref="KeptFor"/> and by one caller at a time, and an answer within <see cref="AnswerWithin"/> whatever a
/// dependency does: a check still running past it (each gives up after its own timeout) leaves the previous report
/// standing, and a probe that finds a run already past the bound gets that report at once rather than waiting again
/// (through an outage every run is slow, and each wait would eat a probe's margin on a busy machine). A probe's
/// timeout then says nothing about a slow broker, and probes from several places cost one run.
/// Until the <see cref="StartupGate"/> opens, the answer is that the service is starting, and no check runs: a
/// dependency still warming up is the gate's business, not a failed check to log.
/// </summary>
public sealed class HealthReportCache(HealthCheckService checks, StartupGate gate, TimeProvider time)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromMilliseconds(500);

    private static readonly HealthReport StillChecking = Unhealthy("the first health checks are still running");

    private readonly Lock _lock = new();
    private Task<HealthReport>? _running;
    private long _runningSince;
    private HealthReport? _latest;
    private long _latestAt;

    /// <summary>Runs the checks now (unless they run already), so the first probe after the gate opens finds their report.</summary>
    public void Refresh()
    {
        lock (_lock)
        {
            StartRun();
        }
    }

    public async Task<HealthReport> ReadAsync()
    {
        if (!gate.IsOpen)
        {
            return Unhealthy(gate.Waiting);
        }

        Task<HealthReport> running;
        TimeSpan wait;
        lock (_lock)
        {
            if (_latest is not null && time.GetElapsedTime(_latestAt) < KeptFor)
            {
                return _latest;
            }

            running = StartRun();
            wait = AnswerWithin - time.GetElapsedTime(_runningSince);
        }

        if (wait > TimeSpan.Zero && await Task.WhenAny(running, Task.Delay(wait, time)) == running)
        {
            return await running;
        }

        lock (_lock)
        {
            return _latest ?? StillChecking;
        }
    }

    private Task<HealthReport> StartRun()
    {
        if (_running is null)
        {
            _runningSince = time.GetTimestamp();
            _running = RunChecksAsync();
        }

        return _running;
    }

    private static HealthReport Unhealthy(string description) => new(
        new Dictionary<string, HealthReportEntry> { ["startup"] = new(HealthStatus.Unhealthy, description, TimeSpan.Zero, null, null) },
        TimeSpan.Zero);

    private async Task<HealthReport> RunChecksAsync()
    {
        // Off the caller's lock: the checks run while other probes read the previous report.
        await Task.Yield();
        try
        {
            // Not the probe's token: a prober that gives up must not turn a slow check into a failed one.
            var report = await checks.CheckHealthAsync(CancellationToken.None);
            lock (_lock)
            {
                (_latest, _latestAt) = (report, time.GetTimestamp());
            }

            return report;
        }
        finally
        {
            lock (_lock)
            {
                _running = null;
            }
        }
    }
}
