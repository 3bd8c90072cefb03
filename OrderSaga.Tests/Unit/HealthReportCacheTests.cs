using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace OrderSaga.Tests.Unit;

/// <summary>Readiness answers within its bound whatever a check does, and probes close together cost one run of the checks.</summary>
public sealed class HealthReportCacheTests
{
    private readonly FakeTimeProvider _time = new();
    private int _runs;
    private Func<Task<HealthCheckResult>> _broker = () => Task.FromResult(HealthCheckResult.Healthy());

    [Fact]
    public async Task A_hung_check_leaves_the_previous_report_standing_and_the_answer_comes_within_its_bound()
    {
        var cache = Cache();
        Assert.Equal(HealthStatus.Healthy, (await cache.ReadAsync()).Status);

        var hung = HangTheNextRun();
        var answer = cache.ReadAsync();
        await Task.Delay(50);
        Assert.False(answer.IsCompleted);
        _time.Advance(HealthReportCache.AnswerWithin);
        Assert.Equal(HealthStatus.Healthy, (await answer.WaitAsync(TimeSpan.FromSeconds(10))).Status);

        // The check gives up in the end (its own timeout): the next answer says so.
        hung.SetResult(HealthCheckResult.Unhealthy("the broker did not answer"));
        await WaitUntilAsync(async () => (await cache.ReadAsync()).Status == HealthStatus.Unhealthy);
    }

    [Fact]
    public async Task A_probe_that_finds_a_run_already_past_the_bound_gets_the_previous_report_at_once()
    {
        var cache = Cache();
        Assert.Equal(HealthStatus.Healthy, (await cache.ReadAsync()).Status);
        var hung = HangTheNextRun();
        var first = cache.ReadAsync();
        _time.Advance(HealthReportCache.AnswerWithin);
        await first.WaitAsync(TimeSpan.FromSeconds(10));

        // As the next probe comes, the same run still hangs: no second wait for it.
        var next = cache.ReadAsync();
        await Task.Delay(50);

        Assert.True(next.IsCompleted, "the probe waited again for a run already past its bound");
        Assert.Equal(HealthStatus.Healthy, (await next).Status);
        Assert.Equal(2, _runs);
        hung.SetResult(HealthCheckResult.Healthy());
    }

    [Fact]
    public async Task Probes_within_the_kept_time_share_one_run_of_the_checks()
    {
        var cache = Cache();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => cache.ReadAsync()));
        await cache.ReadAsync();
        Assert.Equal(1, _runs);

        _time.Advance(HealthReportCache.KeptFor);
        await cache.ReadAsync();
        Assert.Equal(2, _runs);
    }

    [Fact]
    public async Task Checks_refreshed_as_the_gate_opens_answer_the_first_probe()
    {
        var cache = Cache();

        cache.Refresh();
        await WaitUntilAsync(() => Task.FromResult(_runs == 1));
        Assert.Equal(HealthStatus.Healthy, (await cache.ReadAsync()).Status);

        Assert.Equal(1, _runs);
    }

    /// <summary>The checks' next run hangs until the returned source is set; the current report is stale from now.</summary>
    private TaskCompletionSource<HealthCheckResult> HangTheNextRun()
    {
        var hung = new TaskCompletionSource<HealthCheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _broker = () => hung.Task;
        _time.Advance(HealthReportCache.KeptFor);
        return hung;
    }

    private HealthReportCache Cache()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks().AddAsyncCheck("broker", () =>
        {
            Interlocked.Increment(ref _runs);
            return _broker();
        });
        var gate = new StartupGate();
        gate.Open();
        return new HealthReportCache(services.BuildServiceProvider().GetRequiredService<HealthCheckService>(), gate, _time);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
