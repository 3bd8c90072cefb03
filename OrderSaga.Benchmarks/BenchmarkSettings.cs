namespace OrderSaga.Benchmarks;

public sealed record BenchmarkSettings(string Scenario, Uri ApiUrl, int Orders, int Concurrency, string UserId, string ProductId, TimeSpan PollInterval)
{
    /// <summary>Reads <c>--scenario latency|burst --api URL --orders N --concurrency N --user ID --product ID --poll-ms N</c>, each optional.</summary>
    public static BenchmarkSettings Parse(string[] args)
    {
        string Option(string name, string fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        return new BenchmarkSettings(
            Option("--scenario", "latency"),
            new Uri(Option("--api", "http://localhost:5080")),
            int.Parse(Option("--orders", "20")),
            int.Parse(Option("--concurrency", "16")),
            Option("--user", "bench-user"),
            Option("--product", "prod-mouse"),
            TimeSpan.FromMilliseconds(int.Parse(Option("--poll-ms", "10"))));
    }
}
