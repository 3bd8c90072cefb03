using System.ComponentModel.DataAnnotations;

namespace OrderSaga.Data.StuckOrders;

/// <summary>When an order in flight counts as stuck: for the reconciler that drives it on, the board and operators.</summary>
public sealed class StuckOrderOptions
{
    public const string Section = "StuckOrders";

    /// <summary>
    /// An order in flight that has not moved for this long is stuck. Longer than any healthy step takes, including a
    /// consumer's retries, so that a slow step is not mistaken for a lost one.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan After { get; set; } = TimeSpan.FromMinutes(2);
}
