namespace OrderSaga.Benchmarks;

/// <summary>One order: its final status, the time the client waited, and created_at → updated_at on the server.</summary>
public sealed record LatencySample(string Status, TimeSpan Observed, TimeSpan Recorded);

public static class LatencyReport
{
    public static void Print(IReadOnlyList<LatencySample> samples)
    {
        foreach (var outcome in samples.GroupBy(s => s.Status).OrderBy(g => g.Key))
        {
            Console.WriteLine();
            Console.WriteLine($"{outcome.Key}: {outcome.Count()} orders");
            Row("POST -> final status, client (ms)", outcome.Select(s => s.Observed));
            Row("created_at -> updated_at, server (ms)", outcome.Select(s => s.Recorded));
        }
    }

    private static void Row(string label, IEnumerable<TimeSpan> values)
    {
        var sorted = values.Select(v => v.TotalMilliseconds).Order().ToArray();
        Console.WriteLine($"  {label,-40} median {Percentiles.Of(sorted, 0.50),8:F1}  p95 {Percentiles.Of(sorted, 0.95),8:F1}  min {sorted[0],8:F1}  max {sorted[^1],8:F1}");
    }
}
