using ScottPlot;

namespace OrderSaga.Benchmarks;

/// <summary>The PNG charts the README shows: throughput over the run, and latency percentiles per scenario.</summary>
public static class ReportCharts
{
    public static string Throughput(BenchmarkReport report, string directory)
    {
        var plot = new Plot();
        var seconds = report.Timeline.Select(point => point.Second).ToArray();
        plot.Add.ScatterLine(seconds, report.Timeline.Select(point => (double)point.Created).ToArray()).LegendText = "orders placed / s";
        plot.Add.ScatterLine(seconds, report.Timeline.Select(point => (double)point.Final).ToArray()).LegendText = "orders final / s";
        plot.Title($"OrderSaga throughput over the run ({report.StartedAt:yyyy-MM-dd})");
        plot.XLabel("seconds since the first order");
        plot.YLabel("orders per second");
        plot.ShowLegend(Alignment.UpperRight);
        var path = Path.Combine(directory, "throughput.png");
        plot.SavePng(path, 1000, 450);
        return path;
    }

    public static string Latency(BenchmarkReport report, string directory)
    {
        var rows = report.Post.Select(post => (Name: double.IsNaN(post.OfferedRate) ? "POST max" : $"POST {post.Load}", Latency: post.Latency))
            .Concat(report.Saga.Select(saga => (Name: $"saga {saga.OfferedRate:F0}/s", Latency: saga.CreatedToFinal)))
            .Concat(report.Read is { } read ? [(Name: "GET cached", Latency: read.Latency)] : [])
            .ToList();
        var plot = new Plot();
        var percentiles = new (string Name, Func<LatencySummary, double> Value)[] { ("p50", l => l.P50), ("p95", l => l.P95), ("p99", l => l.P99) };
        var bars = new List<Bar>();
        for (var row = 0; row < rows.Count; row++)
        {
            for (var p = 0; p < percentiles.Length; p++)
            {
                bars.Add(new Bar
                {
                    Position = row * (percentiles.Length + 1) + p,
                    // A log axis shows 5 ms and 50 s on one chart.
                    Value = Math.Log10(Math.Max(1, percentiles[p].Value(rows[row].Latency))),
                    FillColor = Palette.Default.GetColor(p),
                });
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(
            [.. rows.Select((_, row) => row * (percentiles.Length + 1) + 1.0)],
            [.. rows.Select(row => row.Name)]);
        plot.Axes.Left.SetTicks([0, 1, 2, 3, 4, 5], ["1 ms", "10 ms", "100 ms", "1 s", "10 s", "100 s"]);
        for (var p = 0; p < percentiles.Length; p++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = percentiles[p].Name, FillColor = Palette.Default.GetColor(p) });
        }

        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title("Latency percentiles (POST and GET: client; saga: created → final)");
        plot.Axes.Margins(bottom: 0);
        var path = Path.Combine(directory, "latency.png");
        plot.SavePng(path, 1000, 500);
        return path;
    }
}
