namespace OrderSaga.Benchmarks.Scenarios;

/// <summary><c>POST /orders</c> at fixed offered rates (open loop), then as fast as a pool of callers can go.</summary>
public static class PostOrdersScenario
{
    public static async Task RunAsync(BenchmarkShop shop, BenchmarkSettings settings, BenchmarkReport report, CancellationToken cancellationToken)
    {
        const string scenario = "post";
        var customers = shop.UserFor(scenario);
        Task<bool> Place(CancellationToken token) => shop.PlaceAsync(scenario, token);

        foreach (var rate in settings.PostRates)
        {
            Progress.Report($"POST /orders at {rate:F0}/s for {settings.PostDuration.TotalSeconds:F0} s");
            var load = await LoadGenerator.OpenLoopAsync(rate, settings.PostDuration, Place, cancellationToken);
            Record(report, new PostResult($"{rate:F0}/s", rate, load.AchievedRate, load.Latency, load.Errors));
        }

        Progress.Report($"POST /orders with {settings.MaxConcurrency} callers for {settings.PostDuration.TotalSeconds:F0} s");
        var max = await LoadGenerator.ClosedLoopAsync(settings.MaxConcurrency, settings.PostDuration, Place, cancellationToken);
        Record(report, new PostResult($"max ({settings.MaxConcurrency} callers)", double.NaN, max.AchievedRate, max.Latency, max.Errors));
        await shop.WaitUntilFinalAsync(customers, Drain.Timeout, cancellationToken);
    }

    private static void Record(BenchmarkReport report, PostResult result)
    {
        report.Post.Add(result);
        Progress.Done($"  POST {result.Load,-18} achieved {result.AchievedRate,6:F0}/s  {result.Latency}  errors {result.Errors}");
    }
}
