namespace OrderSaga.Benchmarks.Scenarios;

/// <summary><c>GET /orders/{id}</c> of settled orders, which the status-updater keeps in Redis.</summary>
public static class CachedReadScenario
{
    private const int Callers = 32;

    public static async Task RunAsync(BenchmarkShop shop, BenchmarkSettings settings, BenchmarkReport report, CancellationToken cancellationToken)
    {
        const string scenario = "get";
        var customers = shop.UserFor(scenario);
        if (await shop.FinalOrderIdsAsync(1000, cancellationToken) is not [_, ..] ids)
        {
            // Run on its own, the scenario places the orders it reads.
            await LoadGenerator.OpenLoopAsync(50, TimeSpan.FromSeconds(4), token => shop.PlaceAsync(scenario, token), cancellationToken);
            await shop.WaitUntilFinalAsync(customers, Drain.Timeout, cancellationToken);
            ids = await shop.FinalOrderIdsAsync(1000, cancellationToken);
        }

        var next = 0;
        Task<bool> Read(CancellationToken token) => shop.ReadAsync(ids[Interlocked.Increment(ref next) % ids.Count], token);

        Progress.Report("GET /orders/{id}: warming up");
        await LoadGenerator.ClosedLoopAsync(Callers, TimeSpan.FromSeconds(2), Read, cancellationToken);
        Progress.Report($"GET /orders/{{id}} with {Callers} callers for {settings.GetDuration.TotalSeconds:F0} s");
        var load = await LoadGenerator.ClosedLoopAsync(Callers, settings.GetDuration, Read, cancellationToken);
        report.Read = new ReadResult(Callers, load.AchievedRate, load.Latency, load.Errors);
        Progress.Done($"  GET /orders/{{id}}: {load.AchievedRate:F0}/s with {Callers} callers, {load.Latency}, errors {load.Errors}");
    }
}
