using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace OrderSaga.Tests.Unit;

/// <summary>
/// The start-up gate gives up on a dependency after its timeout (the service starts and /health reports it), waits
/// for the provisioning job's work however long it takes, and does not wait for what only degrades the service.
/// </summary>
public sealed class StartupHealthGateTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_dependency_still_down_after_the_timeout_does_not_hold_the_start()
    {
        var gate = await StartAsync(Check("database", () => false));

        await AdvanceAsync(TimeSpan.FromSeconds(2), until: gate);
        Assert.False(gate.IsOpen);

        await AdvanceAsync(TimeSpan.FromMinutes(1), until: gate);
        Assert.True(gate.IsOpen);
    }

    [Fact]
    public async Task A_dependency_the_service_works_without_is_not_waited_for()
    {
        var gate = await StartAsync(Check("broker", () => false, HealthStatus.Degraded), Check("database", () => true));

        await AdvanceAsync(TimeSpan.FromSeconds(1), until: gate);

        Assert.True(gate.IsOpen);
    }

    [Fact]
    public async Task The_provisioning_jobs_work_is_waited_for_past_the_timeout_until_it_is_there()
    {
        var provisioned = false;
        // The api's topic check only degrades it when the broker is away, but a missing topic is waited for.
        var gate = await StartAsync(Check("database", () => false), Check("topics", () => provisioned, HealthStatus.Degraded, HealthTags.Provisioned));

        await AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.False(gate.IsOpen);

        provisioned = true;
        await AdvanceAsync(TimeSpan.FromMinutes(1), until: gate);
        Assert.True(gate.IsOpen);
    }

    /// <summary>Starts the gate's checks as the host would: its start returns at once, the gate opens later.</summary>
    private async Task<StartupGate> StartAsync(params HealthCheckRegistration[] checks)
    {
        var options = new HealthCheckServiceOptions();
        foreach (var check in checks)
        {
            options.Registrations.Add(check);
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["HealthChecks:StartupTimeout"] = Timeout.ToString() })
            .Build();
        var gate = new StartupGate();
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks();
        var readiness = new HealthReportCache(services.BuildServiceProvider().GetRequiredService<HealthCheckService>(), gate, _time);
        var runner = new StartupHealthGate(gate, readiness, new ServiceCollection().BuildServiceProvider(), Options.Create(options), configuration, _time, NullLogger<StartupHealthGate>.Instance);
        _running.Add(runner);
        // The clock stands still: a gate that held the host's start until it opened would not return.
        await runner.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return gate;
    }

    private readonly List<StartupHealthGate> _running = [];

    public async Task DisposeAsync()
    {
        foreach (var runner in _running)
        {
            await runner.StopAsync(CancellationToken.None);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    private static HealthCheckRegistration Check(string name, Func<bool> healthy, params string[] tags) =>
        Check(name, healthy, HealthStatus.Unhealthy, tags);

    private static HealthCheckRegistration Check(string name, Func<bool> healthy, HealthStatus failureStatus, params string[] tags) =>
        new(name, _ => new DelegateHealthCheck(healthy, failureStatus), failureStatus, tags);

    /// <summary>Moves the clock on in half-second steps, letting the gate run between them, until <paramref name="until"/> opens.</summary>
    private async Task AdvanceAsync(TimeSpan by, StartupGate? until = null)
    {
        for (var moved = TimeSpan.Zero; moved < by && until?.IsOpen != true; moved += TimeSpan.FromMilliseconds(500))
        {
            await Task.Delay(1);
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        if (until is not null)
        {
            await Task.WhenAny(until.WhenOpenAsync(CancellationToken.None), Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    private sealed class DelegateHealthCheck(Func<bool> healthy, HealthStatus failureStatus) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(healthy() ? HealthCheckResult.Healthy() : new HealthCheckResult(failureStatus, "down"));
    }
}
