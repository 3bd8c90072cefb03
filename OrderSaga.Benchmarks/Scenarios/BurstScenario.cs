namespace OrderSaga.Benchmarks.Scenarios;

/// <summary>Many orders at once, as fast as the API takes them; the saga's drain rate is what it sustains flat out.</summary>
public static class BurstScenario
{
    public const string Name = "burst";

    /// <summary>The burst placed soon after the application turned healthy, before any warm-up: what a cold start costs.</summary>
    public const string ColdName = "cold";

    /// <summary>A cold burst starts this long after the api turned healthy, as a user's first load might.</summary>
    public static readonly TimeSpan ColdStartDelay = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(BenchmarkShop shop, BenchmarkSettings settings, BenchmarkReport report, CancellationToken cancellationToken) =>
        report.Burst = await PlaceAsync(shop, Name, settings.BurstOrders, settings.MaxConcurrency, cancellationToken);

    public static async Task RunColdAsync(BenchmarkShop shop, BenchmarkSettings settings, BenchmarkReport report, TimeSpan sinceHealthy, CancellationToken cancellationToken)
    {
        if (ColdStartDelay - sinceHealthy is var wait && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        report.ColdBurst = await PlaceAsync(shop, ColdName, settings.ColdOrders, settings.MaxConcurrency, cancellationToken);
    }

    private static async Task<BurstResult> PlaceAsync(BenchmarkShop shop, string scenario, int count, int concurrency, CancellationToken cancellationToken)
    {
        var customers = shop.UserFor(scenario);
        Progress.Report($"{scenario}: placing {count} orders");
        var placed = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (_, token) =>
            {
                if (await shop.PlaceAsync(scenario, token) && Interlocked.Increment(ref placed) % 500 == 0)
                {
                    Progress.Report($"{scenario}: {placed} of {count} placed");
                }
            });
        var postRate = placed / clock.Elapsed.TotalSeconds;
        await shop.WaitUntilFinalAsync(customers, Drain.Timeout, cancellationToken);

        var orders = await shop.TimingsAsync(customers, cancellationToken);
        var drainSeconds = (orders.Max(order => order.UpdatedAt) - orders.Min(order => order.CreatedAt)).TotalSeconds;
        var result = new BurstResult(orders.Count, postRate, orders.Count / drainSeconds,
            LatencySummary.Of(orders.Select(order => order.CreatedToFinalMs)), Drain.Outcomes(orders));
        Progress.Done($"  {scenario} burst of {orders.Count}: POST {postRate:F0}/s, drained at {result.DrainRate:F0} orders/s, created->final {result.CreatedToFinal}");
        return result;
    }
}
