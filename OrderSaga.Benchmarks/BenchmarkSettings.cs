using System.Globalization;

namespace OrderSaga.Benchmarks;

/// <summary>The command line: what to run, against what, and how hard.</summary>
public sealed record BenchmarkSettings
{
    public static readonly string[] Scenarios = ["cold", "idle", "post", "saga", "burst", "get", "pgbench"];

    public required IReadOnlyList<string> Run { get; init; }

    /// <summary>A running API to measure; null starts the application through the AppHost.</summary>
    public Uri? ApiUrl { get; init; }

    /// <summary>The running application's database, required with <see cref="ApiUrl"/>.</summary>
    public string? Database { get; init; }

    /// <summary>The running application's operator console, for <see cref="WatchBoard"/>.</summary>
    public Uri? OperatorUrl { get; init; }

    public double TraceSampleRatio { get; init; } = 1.0;
    public IReadOnlyList<double> PostRates { get; init; } = [100, 300, 1000];
    public TimeSpan PostDuration { get; init; } = TimeSpan.FromSeconds(5);
    public int MaxConcurrency { get; init; } = 64;
    public IReadOnlyList<double> SagaRates { get; init; } = [25, 50, 100, 150];
    public TimeSpan SagaDuration { get; init; } = TimeSpan.FromSeconds(60);
    public int BurstOrders { get; init; } = 5000;

    /// <summary>The burst placed soon after the start, before any warm-up (scenario <c>cold</c>).</summary>
    public int ColdOrders { get; init; } = 3000;
    public TimeSpan GetDuration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan PgBenchDuration { get; init; } = TimeSpan.FromSeconds(10);
    public string OutputDirectory { get; init; } = "benchmark-results";

    /// <summary>AppHost settings of the started application (<c>--setting Kafka:Consumer:fetch.wait.max.ms=100</c>), to compare variants.</summary>
    public IReadOnlyList<string> AppHostSettings { get; init; } = [];

    /// <summary>One process plays every saga role (the AppHost's <c>Workers:Combined</c>), to compare with a process per role.</summary>
    public bool CombinedWorkers { get; init; }

    /// <summary>Every order one unit of one product, as the benchmark ordered before orders had several lines.</summary>
    public bool OneLine { get; init; }

    /// <summary>Keep the live board open, as an operator would, for the whole run.</summary>
    public bool WatchBoard { get; init; }

    public const string Usage = """
        dotnet run -c Release --project OrderSaga.Benchmarks -- [options]
          --scenario all|cold,idle,post,saga,burst,get,pgbench   what to run (default all; cold runs first, before the warm-up)
          --api URL --database CONNECTION-STRING      measure a running application instead of starting one
          --operator URL                              its operator console, for --watch-board
          --trace-sample-ratio R                      trace sampling of the started application (default 1.0)
          --post-rates 100,300,1000 --post-seconds 5  POST /orders open-loop rates, then the maximum
          --saga-rates 25,50,100,150 --saga-seconds 60
          --burst-orders 5000 --cold-orders 3000 --get-seconds 10 --pgbench-seconds 10
          --setting KEY=VALUE                         an AppHost setting for the started application (repeatable)
          --combined-workers                          one process plays every saga role instead of one process per role
          --one-line                                  every order one unit of one product (default: one to three lines)
          --watch-board                               keep the live saga board open for the whole run, to measure its cost
          --out DIR                                   where results.json and the charts go (default benchmark-results)
        """;

    public static BenchmarkSettings Parse(string[] args)
    {
        string? Option(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        static IReadOnlyList<double> Rates(string list) =>
            [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(rate => double.Parse(rate, CultureInfo.InvariantCulture))];

        var defaults = new BenchmarkSettings { Run = Scenarios };
        var scenario = Option("--scenario") ?? "all";
        var run = scenario == "all" ? Scenarios : scenario.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (run.Except(Scenarios).ToList() is [_, ..] unknown)
        {
            throw new ArgumentException($"Unknown scenario {string.Join(", ", unknown)}.\n{Usage}");
        }

        var settings = defaults with
        {
            Run = run,
            ApiUrl = Option("--api") is { } api ? new Uri(api) : null,
            OperatorUrl = Option("--operator") is { } console ? new Uri(console) : null,
            Database = Option("--database"),
            TraceSampleRatio = Option("--trace-sample-ratio") is { } ratio ? double.Parse(ratio, CultureInfo.InvariantCulture) : defaults.TraceSampleRatio,
            PostRates = Option("--post-rates") is { } postRates ? Rates(postRates) : defaults.PostRates,
            PostDuration = Option("--post-seconds") is { } postSeconds ? TimeSpan.FromSeconds(int.Parse(postSeconds)) : defaults.PostDuration,
            MaxConcurrency = Option("--max-concurrency") is { } concurrency ? int.Parse(concurrency) : defaults.MaxConcurrency,
            SagaRates = Option("--saga-rates") is { } sagaRates ? Rates(sagaRates) : defaults.SagaRates,
            SagaDuration = Option("--saga-seconds") is { } sagaSeconds ? TimeSpan.FromSeconds(int.Parse(sagaSeconds)) : defaults.SagaDuration,
            BurstOrders = Option("--burst-orders") is { } burst ? int.Parse(burst) : defaults.BurstOrders,
            ColdOrders = Option("--cold-orders") is { } cold ? int.Parse(cold) : defaults.ColdOrders,
            GetDuration = Option("--get-seconds") is { } getSeconds ? TimeSpan.FromSeconds(int.Parse(getSeconds)) : defaults.GetDuration,
            PgBenchDuration = Option("--pgbench-seconds") is { } pgSeconds ? TimeSpan.FromSeconds(int.Parse(pgSeconds)) : defaults.PgBenchDuration,
            OutputDirectory = Option("--out") ?? defaults.OutputDirectory,
            OneLine = args.Contains("--one-line"),
            AppHostSettings = [.. args.Select((arg, index) => (arg, index)).Where(pair => pair.arg == "--setting" && pair.index + 1 < args.Length).Select(pair => args[pair.index + 1])],
            CombinedWorkers = args.Contains("--combined-workers"),
            WatchBoard = args.Contains("--watch-board"),
        };
        if ((settings.ApiUrl is null) != (settings.Database is null))
        {
            throw new ArgumentException($"--api and --database go together.\n{Usage}");
        }

        if (settings.ApiUrl is not null && settings.WatchBoard && settings.OperatorUrl is null)
        {
            throw new ArgumentException($"--watch-board on a running application needs its --operator URL.\n{Usage}");
        }

        return settings;
    }
}
