using System.Diagnostics;
using Npgsql;
using OrderSaga.AppHost.Security;
using OrderSaga.Benchmarks;
using OrderSaga.Benchmarks.Scenarios;
using OrderSaga.Testing;

// Starts the application (or attaches to a running one), runs the chosen scenarios, checks that the saga kept
// every promise over the orders it placed, and writes a table, results.json and two charts.
BenchmarkSettings settings;
try
{
    settings = BenchmarkSettings.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var cancellationToken = stop.Token;

// Tokens as the README shows (`dotnet user-jwts create`); the first one creates the signing key the api will read.
var tokens = TestTokens.ForApi();
await tokens.ForAdminAsync(BenchmarkShop.Operator);

Console.WriteLine(settings.ApiUrl is null ? "Starting OrderSaga through the AppHost (local mode) ..." : $"Attaching to {settings.ApiUrl}");
await using var saga = settings.ApiUrl is null ? await SagaUnderTest.StartAsync(settings, cancellationToken) : SagaUnderTest.Attach(settings);
var healthy = Stopwatch.StartNew();
var report = new BenchmarkReport(DateTimeOffset.UtcNow, MachineDescription.Current(), saga.Description);
Console.WriteLine($"{report.Machine}; {report.Target}");

var shop = new BenchmarkShop(saga, tokens, settings, DateTimeOffset.UtcNow.ToString("MMddHHmmss"));
await shop.StockAsync(cancellationToken);
var meter = new CostMeter(saga, shop, report);
if (settings.Run.Contains(BurstScenario.ColdName))
{
    await shop.SignInAsync([BurstScenario.ColdName]);
    Console.WriteLine($"Scenario {BurstScenario.ColdName}");
    await meter.MeasureAsync(BurstScenario.ColdName, () => BurstScenario.RunColdAsync(shop, settings, report, healthy.Elapsed, cancellationToken), cancellationToken);
}

await shop.SignInAsync(["warmup", "idle", "post", BurstScenario.Name, "get", .. settings.SagaRates.Select(SagaRateScenario.Name)]);

await using var board = settings.WatchBoard ? new BoardViewer(saga.Console!, await tokens.ForAdminAsync(BenchmarkShop.Operator)) : null;
board?.Start();

Console.WriteLine("Warm-up: 200 orders at 40/s");
await LoadGenerator.OpenLoopAsync(40, TimeSpan.FromSeconds(5), token => shop.PlaceAsync("warmup", token), cancellationToken);
await shop.WaitUntilFinalAsync(shop.UserFor("warmup"), Drain.Timeout, cancellationToken);

foreach (var scenario in settings.Run.Where(scenario => scenario != BurstScenario.ColdName))
{
    Console.WriteLine($"Scenario {scenario}");
    Task Run() => scenario switch
    {
        "idle" => IdleScenario.RunAsync(shop, saga.Broker, report, cancellationToken),
        "post" => PostOrdersScenario.RunAsync(shop, settings, report, cancellationToken),
        "saga" => SagaRateScenario.RunAsync(shop, settings, report, meter, cancellationToken),
        "burst" => BurstScenario.RunAsync(shop, settings, report, cancellationToken),
        "get" => CachedReadScenario.RunAsync(shop, settings, report, cancellationToken),
        "pgbench" => PgBenchScenario.RunAsync(saga, settings, report, cancellationToken),
        _ => throw new InvalidOperationException(scenario),
    };

    // Every scenario that places orders waits until they are final, so what it spent is what they cost. At rest the
    // time between orders is most of it, so idle reports its CPU per second instead; the saga measures each rate.
    await (scenario is "idle" or "saga" ? Run() : meter.MeasureAsync(scenario, Run, cancellationToken));
}

Console.WriteLine("Consistency check over every order of the run");
await shop.WaitUntilAllFinalAsync(Drain.Timeout, cancellationToken);
// The last steps' outbox rows are marked sent a moment after their orders turn final: give them that moment.
var checkedSince = Stopwatch.StartNew();
while (true)
{
    await using (var connection = await saga.Database.OpenConnectionAsync(cancellationToken))
    {
        report.Violations = await SagaInvariants.CheckAsync(connection, new SagaExpectations(shop.Stock, RequireFinal: true, shop.Accepted), cancellationToken);
    }

    if (report.Violations.Count == 0 || checkedSince.Elapsed > TimeSpan.FromSeconds(30))
    {
        break;
    }

    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
}

report.Timeline = await shop.TimelineAsync(cancellationToken);
report.PeakMemory = ProcessMemory.PeakMebibytes();
report.Board = board?.Result;

Directory.CreateDirectory(settings.OutputDirectory);
Console.WriteLine();
Console.WriteLine(ReportWriter.Table(report));
Console.WriteLine($"Wrote {await ReportWriter.WriteJsonAsync(report, settings.OutputDirectory, cancellationToken)}, " +
    $"{ReportCharts.Throughput(report, settings.OutputDirectory)} and {ReportCharts.Latency(report, settings.OutputDirectory)}");
return report.Violations.Count == 0 ? 0 : 1;
