using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderSaga.Benchmarks;

/// <summary>The run's results as a Markdown table for the console and the README, and as results.json.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<string> WriteJsonAsync(BenchmarkReport report, string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, "results.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, Json), cancellationToken);
        return path;
    }

    public static string Table(BenchmarkReport report)
    {
        var table = new StringBuilder();
        void Row(params object[] cells) => table.AppendLine($"| {string.Join(" | ", cells.Select(Format))} |");

        table.AppendLine(CultureInfo.InvariantCulture, $"{report.StartedAt:yyyy-MM-dd HH:mm} UTC, {report.Machine}; {report.Target}").AppendLine();
        table.AppendLine("| Scenario | Offered | Achieved | p50 ms | p95 ms | p99 ms | Notes |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var post in report.Post)
        {
            Row($"POST /orders {post.Load}", Rate(post.OfferedRate), Rate(post.AchievedRate), post.Latency.P50, post.Latency.P95, post.Latency.P99, $"{post.Errors} errors");
        }

        foreach (var saga in report.Saga)
        {
            Row($"saga created→final at {saga.OfferedRate:F0}/s", Rate(saga.OfferedRate), Rate(saga.FinalRate), saga.CreatedToFinal.P50, saga.CreatedToFinal.P95,
                saga.CreatedToFinal.P99, $"{(saga.Sustained ? "kept pace" : "fell behind")}, backlog {saga.BacklogAtEnd}; {Outcomes(saga.Outcomes)}");
        }

        if (report.ColdBurst is { } cold)
        {
            Row($"saga burst of {cold.Orders}, {Scenarios.BurstScenario.ColdStartDelay.TotalSeconds:F0} s after start", Rate(cold.PostRate), Rate(cold.DrainRate),
                cold.CreatedToFinal.P50, cold.CreatedToFinal.P95, cold.CreatedToFinal.P99, $"before any warm-up; {Outcomes(cold.Outcomes)}");
        }

        if (report.Burst is { } burst)
        {
            Row($"saga burst of {burst.Orders}", Rate(burst.PostRate), Rate(burst.DrainRate), burst.CreatedToFinal.P50, burst.CreatedToFinal.P95,
                burst.CreatedToFinal.P99, $"offered = POST rate, achieved = drain rate; {Outcomes(burst.Outcomes)}");
        }

        if (report.Read is { } read)
        {
            Row("GET /orders/{id} (cache)", "-", Rate(read.AchievedRate), read.Latency.P50, read.Latency.P95, read.Latency.P99, $"{read.Callers} callers, {read.Errors} errors");
        }

        if (report.Idle is { } idle)
        {
            Row("one order at a time, created→final", "-", "-", idle.OneAtATime.P50, idle.OneAtATime.P95, idle.OneAtATime.P99,
                $"{idle.OneAtATime.Count} orders, each placed once the one before was final");
        }

        foreach (var pgbench in report.PgBench)
        {
            Row($"pgbench -N, {pgbench.Clients} client(s)", "-", Rate(pgbench.Tps), "-", "-", "-", "transactions/s");
        }

        table.AppendLine();
        CpuTable(report, table);
        MemoryTable(report, table);
        if (report.Idle is { } rest)
        {
            var parts = rest.CorePercent.Where(part => part.Key != ApplicationProcesses.Benchmark && part.Value >= 0.05).OrderByDescending(part => part.Value)
                .Select(part => string.Create(CultureInfo.InvariantCulture, $"{part.Key} {part.Value:F1} %"));
            table.AppendLine(CultureInfo.InvariantCulture, $"At rest, no order in flight: {rest.TotalCorePercent:F1} % of one core: {string.Join(", ", parts)}.");
            if (rest.BrokerRequestsPerSecond is { } requests)
            {
                table.AppendLine(CultureInfo.InvariantCulture, $"At rest the broker is sent {requests:F1} requests a second, {rest.FetchesPerSecond:F1} of them fetches.");
            }

            table.AppendLine(CultureInfo.InvariantCulture, $"One order at a time, where a shipped order's time went (p50): {string.Join(", ", rest.Steps.Select(step => step.ToString()))}.");
        }

        if (report.SagaOrdersPerSecond is { } best)
        {
            var ratio = report.SagaPerPgBenchTps is { } perTps ? $", {perTps:F3} per single-client pgbench tps" : "";
            table.AppendLine(CultureInfo.InvariantCulture, $"Best saga throughput {best:F0} orders/s{ratio}.");
        }

        table.AppendLine(report.Board is { } board
            ? $"Live board open throughout: {board.Envelopes} envelopes and {board.DeadLetters} dead letters drawn, {board.NotDrawn} envelopes not drawn (sampled), {board.StatisticsUpdates} counter updates."
            : "Live board closed.");
        table.AppendLine(report.Violations.Count == 0
            ? "Consistency: every order final and one the api answered with; stock, quantities, amounts, audit trails and queues as SagaInvariants requires."
            : $"Consistency: {report.Violations.Count} violations, the first: {report.Violations[0]}");
        return table.ToString();
    }

    private static string Rate(double perSecond) => double.IsNaN(perSecond) ? "max" : $"{perSecond:F0}/s";

    private static string Outcomes(IReadOnlyDictionary<string, int> outcomes) => string.Join(", ", outcomes.Select(outcome => $"{outcome.Key} {outcome.Value}"));

    /// <summary>CPU milliseconds per order of each part of the application, the costliest parts first, and commits and statements per order.</summary>
    private static void CpuTable(BenchmarkReport report, StringBuilder table)
    {
        if (report.CpuPerOrder.Count == 0)
        {
            return;
        }

        var parts = report.CpuPerOrder.SelectMany(result => result.MillisecondsPerOrder.Keys).Distinct()
            .OrderByDescending(part => report.CpuPerOrder.Max(result => result.MillisecondsPerOrder.GetValueOrDefault(part)))
            .ToList();
        table.AppendLine($"| CPU ms per order | orders | all | {string.Join(" | ", parts)} | commits per order | statements per order | broker fetches per order | produces per order | spans per order |");
        table.AppendLine($"|---|---:|---:|{string.Concat(parts.Select(_ => "---:|"))}---:|---:|---:|---:|---:|");
        foreach (var result in report.CpuPerOrder)
        {
            table.AppendLine($"| {result.Scenario} | {result.Orders} | {Milliseconds(result.TotalMillisecondsPerOrder)} | "
                + $"{string.Join(" | ", parts.Select(part => Milliseconds(result.MillisecondsPerOrder.GetValueOrDefault(part))))} | "
                + $"{PerOrder(result.CommitsPerOrder)} | {PerOrder(result.StatementsPerOrder)} | {PerOrder(result.FetchesPerOrder)} | "
                + $"{PerOrder(result.ProducesPerOrder)} | {PerOrder(result.SpansPerOrder)} |");
        }

        table.AppendLine();
        if (report.CpuPerOrder.LastOrDefault(result => result.SpansPerOrderByService is not null) is { SpansPerOrderByService: { } spans } sampled)
        {
            var services = spans.OrderByDescending(service => service.Value)
                .Select(service => string.Create(CultureInfo.InvariantCulture, $"{service.Key} {service.Value:F1}"));
            table.AppendLine($"Spans of one order's trace by service ({sampled.Scenario}, a sample of its orders): {string.Join(", ", services)}.");
        }

        table.AppendLine();
    }

    /// <summary>The most resident memory each part held at once over the run: what its container's limit must allow.</summary>
    private static void MemoryTable(BenchmarkReport report, StringBuilder table)
    {
        if (report.PeakMemory.Count == 0)
        {
            return;
        }

        var parts = report.PeakMemory.OrderByDescending(part => part.Value).ToList();
        table.AppendLine($"| peak memory (MiB, largest process) | {string.Join(" | ", parts.Select(part => part.Key))} |");
        table.AppendLine($"|---|{string.Concat(parts.Select(_ => "---:|"))}");
        table.AppendLine($"| resident | {string.Join(" | ", parts.Select(part => part.Value.ToString("F0", CultureInfo.InvariantCulture)))} |");
        table.AppendLine();
    }

    private static string Milliseconds(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static string PerOrder(double? value) => value?.ToString("F1", CultureInfo.InvariantCulture) ?? "-";

    private static string Format(object cell) => cell switch
    {
        double number when double.IsNaN(number) => "-",
        double number => number.ToString("F0", CultureInfo.InvariantCulture),
        _ => cell.ToString()!,
    };
}
