namespace OrderSaga.Benchmarks;

public sealed record PostResult(string Load, double OfferedRate, double AchievedRate, LatencySummary Latency, int Errors);

public sealed record SagaRateResult(
    double OfferedRate, double FinalRate, LatencySummary CreatedToFinal, long BacklogAtEnd, bool Sustained, IReadOnlyDictionary<string, int> Outcomes);

public sealed record BurstResult(int Orders, double PostRate, double DrainRate, LatencySummary CreatedToFinal, IReadOnlyDictionary<string, int> Outcomes);

public sealed record ReadResult(int Callers, double AchievedRate, LatencySummary Latency, int Errors);

public sealed record PgBenchResult(int Clients, double Tps);

/// <summary>
/// One step of a shipped order, from when the event before it was written to when this one was (or, for the last
/// step, to the final status): median milliseconds, and how many of them passed before the relay had published
/// the event before.
/// </summary>
public sealed record SagaStep(string Step, double Milliseconds, double PublishedAfter)
{
    public override string ToString() => $"{Step} {Milliseconds:F0} ms (published after {PublishedAfter:F0})";
}

/// <summary>
/// The application at rest: the share of one core each part spends, the requests (and fetches) the broker is sent a
/// second, and orders placed one at a time.
/// </summary>
public sealed record IdleResult(
    IReadOnlyDictionary<string, double> CorePercent,
    double? FetchesPerSecond,
    double? BrokerRequestsPerSecond,
    LatencySummary OneAtATime,
    IReadOnlyList<SagaStep> Steps)
{
    /// <summary>The application's own share, the benchmark (which only waited) left out.</summary>
    public double TotalCorePercent => CorePercent.Where(part => part.Key != ApplicationProcesses.Benchmark).Sum(part => part.Value);
}

/// <summary>Everything one run measured, as written to results.json.</summary>
public sealed record BenchmarkReport(DateTimeOffset StartedAt, string Machine, string Target)
{
    public List<PostResult> Post { get; } = [];
    public List<SagaRateResult> Saga { get; } = [];
    public BurstResult? Burst { get; set; }

    /// <summary>The burst placed soon after the start, before any warm-up.</summary>
    public BurstResult? ColdBurst { get; set; }
    public ReadResult? Read { get; set; }
    public IdleResult? Idle { get; set; }
    public List<PgBenchResult> PgBench { get; } = [];
    public List<CpuPerOrderResult> CpuPerOrder { get; } = [];

    /// <summary>The most resident memory each part held at once, in MiB, read as the run ended (<see cref="ProcessMemory"/>).</summary>
    public IReadOnlyDictionary<string, double> PeakMemory { get; set; } = new Dictionary<string, double>();
    public IReadOnlyList<TimelinePoint> Timeline { get; set; } = [];
    public IReadOnlyList<string> Violations { get; set; } = [];

    /// <summary>What the live board showed, when the run kept it open (<c>--watch-board</c>).</summary>
    public BoardViewResult? Board { get; set; }

    /// <summary>The best saga throughput seen: the highest sustained rate, or the burst's drain rate.</summary>
    public double? SagaOrdersPerSecond =>
        Saga.Where(result => result.Sustained).Select(result => result.FinalRate)
            .Concat(Burst is null ? [] : [Burst.DrainRate])
            .DefaultIfEmpty().Max() is var best and > 0 ? best : null;

    /// <summary>Saga orders/s per single-client pgbench commit/s: how a result compares across faster or slower disks.</summary>
    public double? SagaPerPgBenchTps =>
        SagaOrdersPerSecond is { } saga && PgBench.FirstOrDefault(result => result.Clients == 1) is { Tps: > 0 } single ? saga / single.Tps : null;
}
