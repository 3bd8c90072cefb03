namespace OrderSaga.Benchmarks;

public static class Percentiles
{
    /// <summary>The <paramref name="p"/> percentile of sorted values, interpolated between neighbours.</summary>
    public static double Of(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
