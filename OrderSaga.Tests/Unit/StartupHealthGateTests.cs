using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace OrderSaga.Tests.Unit;

/// <summary>
/// The start-up gate gives up on a dependency after its timeout (the service starts and /health reports it), but
/// waits for the provisioning job's work however long it takes.
/// </summary>
public sealed class StartupHealthGateTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_dependency_still_down_after_the_timeout_does_not_hold_the_start()
    {
        var starting = Gate(Check("redis", () => false)).StartAsync(CancellationToken.None);

        await AdvanceAsync(TimeSpan.FromMinutes(1), until: starting);

        Assert.True(starting.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task The_provisioning_jobs_work_is_waited_for_past_the_timeout_until_it_is_there()
    {
        var provisioned = false;
        var starting = Gate(Check("redis", () => false), Check("schema", () => provisioned, HealthTags.Provisioned)).StartAsync(CancellationToken.None);

        await AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.False(starting.IsCompleted);

        provisioned = true;
        await AdvanceAsync(TimeSpan.FromMinutes(1), until: starting);
        Assert.True(starting.IsCompletedSuccessfully);
    }

    private StartupHealthGate Gate(params HealthCheckRegistration[] checks)
    {
        var options = new HealthCheckServiceOptions();
        foreach (var check in checks)
        {
            options.Registrations.Add(check);
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["HealthChecks:StartupTimeout"] = Timeout.ToString() })
            .Build();
        return new StartupHealthGate(new ServiceCollection().BuildServiceProvider(), Options.Create(options), configuration, _time, NullLogger<StartupHealthGate>.Instance);
    }

    private static HealthCheckRegistration Check(string name, Func<bool> healthy, params string[] tags) =>
        new(name, _ => new DelegateHealthCheck(healthy), failureStatus: null, tags);

    /// <summary>Moves the clock on in half-second steps, letting the gate run between them, until <paramref name="until"/> completes.</summary>
    private async Task AdvanceAsync(TimeSpan by, Task? until = null)
    {
        for (var moved = TimeSpan.Zero; moved < by && until?.IsCompleted != true; moved += TimeSpan.FromMilliseconds(500))
        {
            await Task.Delay(1);
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        if (until is not null)
        {
            await Task.WhenAny(until, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    private sealed class DelegateHealthCheck(Func<bool> healthy) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(healthy() ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("down"));
    }
}
