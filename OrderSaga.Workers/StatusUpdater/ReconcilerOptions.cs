namespace OrderSaga.Workers.StatusUpdater;

public sealed class ReconcilerOptions
{
    public const string Section = "Reconciler";

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// An order still neither paid nor cancelled this long after it was placed is given up: cancelled as
    /// TIMED_OUT, its stock given back (OrderExpired). A paid order is never given up: it has been charged, so it is
    /// driven on until it ships, and listed for an operator meanwhile.
    /// </summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most orders driven on per round.</summary>
    public int BatchSize { get; set; } = 100;
}
