namespace OrderSaga.Benchmarks.Scenarios;

/// <summary>
/// The application at rest: the CPU it spends with no order in flight (the share of one core each part takes),
/// then orders placed one at a time, each after the one before is final, for the latency no queue adds to.
/// </summary>
public static class IdleScenario
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);
    private const int OneAtATime = 20;

    public static async Task RunAsync(BenchmarkShop shop, BrokerRequests? broker, BenchmarkReport report, CancellationToken cancellationToken)
    {
        const string scenario = "idle";
        var customers = shop.UserFor(scenario);
        Progress.Report($"idle: {Window.TotalSeconds:F0} s with no order in flight");
        await Task.Delay(Settle, cancellationToken);
        var before = ProcessCpu.Take();
        var requestsBefore = broker is null ? null : await broker.ReadAsync(cancellationToken);
        await Task.Delay(Window, cancellationToken);
        var after = ProcessCpu.Take();
        var requestsAfter = broker is null ? null : await broker.ReadAsync(cancellationToken);
        var corePercent = after.ToDictionary(part => part.Key, part => (part.Value - before.GetValueOrDefault(part.Key)) * 100 / Window.TotalSeconds);
        var fetchesPerSecond = requestsAfter?.Fetches - requestsBefore?.Fetches is { } fetches ? fetches / Window.TotalSeconds : (double?)null;
        var requestsPerSecond = requestsAfter?.All - requestsBefore?.All is { } requests ? requests / Window.TotalSeconds : (double?)null;

        for (var order = 0; order < OneAtATime; order++)
        {
            Progress.Report($"idle: order {order + 1} of {OneAtATime}, one at a time");
            await shop.PlaceAsync(scenario, cancellationToken);
            while (await shop.InFlightAsync(customers, cancellationToken) > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
            }
        }

        var orders = await shop.TimingsAsync(customers, cancellationToken);
        report.Idle = new IdleResult(corePercent, fetchesPerSecond, requestsPerSecond,
            LatencySummary.Of(orders.Select(order => order.CreatedToFinalMs)), await shop.StepsAsync(customers, cancellationToken));
        Progress.Done($"  idle: {report.Idle.TotalCorePercent:F1} % of one core, broker asked {report.Idle.BrokerRequestsPerSecond:F0} times a second " +
            $"({report.Idle.FetchesPerSecond:F0} fetches); one order at a time created->final {report.Idle.OneAtATime}");
        Progress.Done($"  where a shipped order's time went (p50): {string.Join(", ", report.Idle.Steps.Select(step => step.ToString()))}");
    }
}
