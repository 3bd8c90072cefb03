namespace OrderSaga.Benchmarks.Scenarios;

/// <summary>Many orders at once, as fast as the API takes them; the saga's drain rate is what it sustains flat out.</summary>
public static class BurstScenario
{
    public static async Task RunAsync(BenchmarkShop shop, BenchmarkSettings settings, BenchmarkReport report, CancellationToken cancellationToken)
    {
        const string scenario = "burst";
        var customers = shop.UserFor(scenario);
        Progress.Report($"burst: placing {settings.BurstOrders} orders");
        var placed = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, settings.BurstOrders),
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrency, CancellationToken = cancellationToken },
            async (_, token) =>
            {
                if (await shop.PlaceAsync(scenario, token) && Interlocked.Increment(ref placed) % 500 == 0)
                {
                    Progress.Report($"burst: {placed} of {settings.BurstOrders} placed");
                }
            });
        var postRate = placed / clock.Elapsed.TotalSeconds;
        await shop.WaitUntilFinalAsync(customers, Drain.Timeout, cancellationToken);

        var orders = await shop.TimingsAsync(customers, cancellationToken);
        var drainSeconds = (orders.Max(order => order.UpdatedAt) - orders.Min(order => order.CreatedAt)).TotalSeconds;
        report.Burst = new BurstResult(orders.Count, postRate, orders.Count / drainSeconds,
            LatencySummary.Of(orders.Select(order => order.CreatedToFinalMs)), Drain.Outcomes(orders));
        Progress.Done($"  burst of {orders.Count}: POST {postRate:F0}/s, drained at {report.Burst.DrainRate:F0} orders/s, created->final {report.Burst.CreatedToFinal}");
    }
}
