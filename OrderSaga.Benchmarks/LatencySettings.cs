namespace OrderSaga.Benchmarks;

public sealed record LatencySettings(Uri ApiUrl, int Orders, string UserId, string ProductId, TimeSpan PollInterval)
{
    /// <summary>Reads <c>--api URL --orders N --user ID --product ID --poll-ms N</c>, each optional.</summary>
    public static LatencySettings Parse(string[] args)
    {
        string Option(string name, string fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        return new LatencySettings(
            new Uri(Option("--api", "http://localhost:5080")),
            int.Parse(Option("--orders", "20")),
            Option("--user", "bench-user"),
            Option("--product", "prod-mouse"),
            TimeSpan.FromMilliseconds(int.Parse(Option("--poll-ms", "10"))));
    }
}
