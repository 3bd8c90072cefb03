using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrderSaga.Topology;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Opens the <see cref="StartupGate"/> once the service's health checks pass, or <c>HealthChecks:StartupTimeout</c>
/// runs out. A busy 2-core machine needs seconds for a first connection and EF's model; spent here, they are not
/// reported as failed work. A dependency that is still down after the timeout is not hidden: the service starts, and
/// <c>/health</c> says so. Checks tagged <see cref="HealthTags.Provisioned"/> are waited for however long it takes
/// (and reported every ten seconds past the timeout) while their server answers that the work is not done: a
/// service started before its schema exists would fail work instead of waiting for it. One whose server does not
/// answer (its result carries the exception) says nothing about provisioning: like any dependency, it is waited for
/// until the timeout. A check that only degrades the service when it fails (a cache, the broker behind the api's
/// outbox) is not waited for at all: the service does its work without it.
/// </summary>
public sealed class StartupHealthGate(
    StartupGate gate,
    HealthReportCache readiness,
    IServiceProvider services,
    IOptions<HealthCheckServiceOptions> healthChecks,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<StartupHealthGate> logger) : BackgroundService
{
    public const string TimeoutKey = "HealthChecks:StartupTimeout";

    private static readonly TimeSpan StartupCheckTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ProvisioningReportInterval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Start-up probes are not the work anyone opens the dashboard's traces to see.
        using var untraced = SuppressInstrumentationScope.Begin();
        var timeout = configuration.GetValue(TimeoutKey, TimeSpan.FromSeconds(60));
        var started = time.GetTimestamp();
        var pending = healthChecks.Value.Registrations.ToList();
        var nextReport = timeout;
        while (pending.Count > 0)
        {
            var results = await Task.WhenAll(pending.Select(registration => CheckAsync(registration, stoppingToken)));
            var elapsed = time.GetElapsedTime(started);
            var failed = pending.Zip(results)
                .Where(check => check.Second.Status != HealthStatus.Healthy)
                .Where(check => AwaitsProvisioning(check.First, check.Second) || check.First.FailureStatus == HealthStatus.Unhealthy)
                .ToList();
            if (elapsed >= timeout && failed.Any(check => !AwaitsProvisioning(check.First, check.Second)))
            {
                logger.LogWarning("Starting although {HealthChecks} did not pass within {Timeout}; /health reports them",
                    string.Join(", ", failed.Where(check => !AwaitsProvisioning(check.First, check.Second)).Select(check => check.First.Name)), timeout);
                failed = [.. failed.Where(check => AwaitsProvisioning(check.First, check.Second))];
            }

            pending = [.. failed.Select(check => check.First)];
            gate.WaitingFor(string.Join("; ", failed.Select(check => $"{check.First.Name} ({check.Second.Description})")));
            if (failed.Count > 0 && elapsed >= nextReport)
            {
                // Outside the AppHost nothing starts the provisioning job before the services: they wait for its work.
                logger.LogWarning("Waiting for {HealthChecks}: {Reasons}",
                    string.Join(", ", failed.Select(check => check.First.Name)), string.Join("; ", failed.Select(check => check.Second.Description)));
                nextReport = elapsed + ProvisioningReportInterval;
            }

            if (pending.Count > 0)
            {
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }

        gate.Open();
        readiness.Refresh();
        logger.LogInformation("Dependencies answered after {Elapsed}", time.GetElapsedTime(started));
    }

    /// <summary>A provisioned check whose server answered that the work is not done yet (not one that could not ask).</summary>
    private static bool AwaitsProvisioning(HealthCheckRegistration registration, HealthCheckResult result) =>
        registration.Tags.Contains(HealthTags.Provisioned) && result.Exception is null;

    /// <summary>Runs one check directly, so a failure while dependencies warm up is not logged as an error.</summary>
    private async Task<HealthCheckResult> CheckAsync(HealthCheckRegistration registration, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Patient, unlike a probe: a first connection and EF's model take seconds on a busy machine.
        timeout.CancelAfter(StartupCheckTimeout);
        await using var scope = services.CreateAsyncScope();
        try
        {
            var check = registration.Factory(scope.ServiceProvider);
            return await check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }
    }
}
