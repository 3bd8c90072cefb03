using System.Diagnostics;

namespace OrderSaga.Benchmarks.Scenarios;

/// <summary>
/// Orders offered at a fixed rate for a while: how long each took from created to final, and whether the saga kept
/// pace. It kept pace when, as the load stops, less than two seconds' worth of orders is still in flight.
/// </summary>
public static class SagaRateScenario
{
    /// <summary>The scenario name, and so the customer, of one offered rate.</summary>
    public static string Name(double rate) => $"saga-{rate:F0}";

    public static async Task RunAsync(BenchmarkShop shop, BenchmarkSettings settings, BenchmarkReport report, CostMeter meter, CancellationToken cancellationToken)
    {
        foreach (var rate in settings.SagaRates)
        {
            await meter.MeasureAsync(Name(rate), () => RunRateAsync(shop, settings, report, rate, cancellationToken), cancellationToken);
        }
    }

    private static async Task RunRateAsync(BenchmarkShop shop, BenchmarkSettings settings, BenchmarkReport report, double rate, CancellationToken cancellationToken)
    {
        var scenario = Name(rate);
        var customers = shop.UserFor(scenario);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = WatchBacklogAsync(shop, customers, rate, watching.Token);
        var load = await LoadGenerator.OpenLoopAsync(rate, settings.SagaDuration, token => shop.PlaceAsync(scenario, token), cancellationToken);
        var backlog = await shop.InFlightAsync(customers, cancellationToken);
        await watching.CancelAsync();
        await watcher;
        await shop.WaitUntilFinalAsync(customers, Drain.Timeout, cancellationToken);

        var orders = await shop.TimingsAsync(customers, cancellationToken);
        var window = settings.SagaDuration.TotalSeconds;
        var start = orders.Min(order => order.CreatedAt);
        var finalInWindow = orders.Count(order => (order.UpdatedAt - start).TotalSeconds <= window);
        var result = new SagaRateResult(rate, finalInWindow / window, LatencySummary.Of(orders.Select(order => order.CreatedToFinalMs)),
            backlog, backlog <= 2 * rate && load.Errors == 0, Drain.Outcomes(orders));
        report.Saga.Add(result);
        Progress.Done($"  saga at {rate,4:F0}/s: {result.FinalRate,5:F0} final/s, created->final {result.CreatedToFinal}, " +
            $"backlog at end {backlog}, {(result.Sustained ? "kept pace" : "fell behind")}");
    }

    private static async Task WatchBacklogAsync(BenchmarkShop shop, string customers, double rate, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                Progress.Report($"saga at {rate:F0}/s, {clock.Elapsed.TotalSeconds:F0} s: {await shop.InFlightAsync(customers, cancellationToken)} in flight");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
