namespace OrderSaga.Benchmarks;

/// <summary>
/// Measures what one stretch of the run cost per order (<see cref="CpuPerOrderResult"/>) and adds it to the report:
/// CPU, commits and statements, broker requests, and the spans of a sample of its orders' traces.
/// </summary>
public sealed class CostMeter(SagaUnderTest saga, BenchmarkShop shop, BenchmarkReport report)
{
    private const int SampledTraces = 20;

    // Services export their spans every second (Aspire's setting for local runs): the last ones are sent by then.
    private static readonly TimeSpan ExportDelay = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="stretch"/>, which must leave its orders final, and reports what they cost.</summary>
    public async Task MeasureAsync(string name, Func<Task> stretch, CancellationToken cancellationToken)
    {
        var before = await UsageSnapshot.TakeAsync(saga, shop, cancellationToken);
        await stretch();
        var after = await UsageSnapshot.TakeAsync(saga, shop, cancellationToken);
        if (after.Orders > before.Orders)
        {
            report.CpuPerOrder.Add(CpuPerOrderResult.Between(name, before, after, await SpansPerOrderAsync(before, after, cancellationToken)));
        }
    }

    /// <summary>The average spans of one order's trace by service, over orders spread across the stretch.</summary>
    private async Task<IReadOnlyDictionary<string, double>?> SpansPerOrderAsync(UsageSnapshot before, UsageSnapshot after, CancellationToken cancellationToken)
    {
        if (saga.Traces is null)
        {
            return null;
        }

        await Task.Delay(ExportDelay, cancellationToken);
        var traces = await saga.Traces.SpansAsync(shop.TraceIdsPlaced(before.Placed, after.Placed, SampledTraces), cancellationToken);
        return traces.Count == 0
            ? null
            : traces.SelectMany(trace => trace.Keys).Distinct()
                .ToDictionary(service => service, service => traces.Average(trace => (double)trace.GetValueOrDefault(service)));
    }
}
