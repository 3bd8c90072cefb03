using System.ComponentModel.DataAnnotations;

namespace OrderSaga.Operator.Board;

/// <summary>The live saga board: what it draws and how much it may cost.</summary>
public sealed class BoardOptions
{
    public const string Section = "Board";

    /// <summary>The Aspire dashboard, for links to an order's trace; the AppHost sets it.</summary>
    public string? DashboardUrl { get; set; }

    /// <summary>The most envelopes a second sent to viewers; beyond it they are counted, not drawn, so a benchmark never waits on the board.</summary>
    [Range(1, 100_000)]
    public int MaxEventsPerSecond { get; set; } = 200;

    /// <summary>How often the counters and stock are read from PostgreSQL while someone watches.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00")]
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages held for a viewer that reads slowly; the oldest are dropped first.</summary>
    [Range(10, 100_000)]
    public int ViewerBuffer { get; set; } = 1_000;
}
