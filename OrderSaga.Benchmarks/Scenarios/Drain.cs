namespace OrderSaga.Benchmarks.Scenarios;

public static class Drain
{
    /// <summary>How long the saga may take to finish what a scenario left in flight before the run gives up.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    public static IReadOnlyDictionary<string, int> Outcomes(IEnumerable<OrderTiming> orders) =>
        orders.GroupBy(order => order.Outcome).OrderBy(group => group.Key).ToDictionary(group => group.Key, group => group.Count());
}
