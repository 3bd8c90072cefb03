using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrderSaga.Benchmarks;

/// <summary>
/// Places a burst of orders as fast as the API takes them, then waits until every one is final, and reports
/// how fast orders were accepted and how fast the saga drained them (server timestamps, created_at → updated_at).
/// </summary>
public static class BurstBenchmark
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(10);

    public static async Task RunAsync(HttpClient http, BenchmarkSettings settings)
    {
        Console.WriteLine($"Burst: {settings.Orders} orders of 1 x {settings.ProductId}, {settings.Concurrency} requests in flight, at {settings.ApiUrl}");
        var clock = Stopwatch.StartNew();
        var placed = new ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, settings.Orders), new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency }, async (_, token) =>
        {
            using var response = await http.PostAsJsonAsync("/orders", new { user_id = settings.UserId, items = new[] { new { product_id = settings.ProductId, qty = 1 } } }, token);
            response.EnsureSuccessStatusCode();
            placed.Add((await response.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("order_id").GetGuid());
        });
        var posted = clock.Elapsed;
        Console.WriteLine($"  POST /orders: {settings.Orders} in {posted.TotalSeconds:F1} s = {settings.Orders / posted.TotalSeconds:F0} orders/s");

        var settled = await DrainAsync(http, [.. placed], settings, clock);
        var first = settled.Min(order => order.CreatedAt);
        var last = settled.Max(order => order.UpdatedAt);
        var latencies = settled.Select(order => (order.UpdatedAt - order.CreatedAt).TotalMilliseconds).Order().ToArray();
        Console.WriteLine($"  saga drain: {settled.Count} orders final in {(last - first).TotalSeconds:F1} s = {settled.Count / (last - first).TotalSeconds:F0} orders/s");
        Console.WriteLine($"  created -> final (ms): p50 {Percentiles.Of(latencies, 0.50):F0}  p95 {Percentiles.Of(latencies, 0.95):F0}  p99 {Percentiles.Of(latencies, 0.99):F0}  max {latencies[^1]:F0}");
        Console.WriteLine($"  outcomes: {string.Join(", ", settled.GroupBy(order => order.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}");
    }

    private static async Task<List<SettledOrder>> DrainAsync(HttpClient http, List<Guid> pending, BenchmarkSettings settings, Stopwatch clock)
    {
        var settled = new ConcurrentBag<SettledOrder>();
        var deadline = clock.Elapsed + DrainTimeout;
        while (pending.Count > 0)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"{pending.Count} orders are still not final after {DrainTimeout.TotalMinutes} minutes.");
            }

            // Orders settle roughly in the order they were placed: each round reads the oldest first and stops at
            // a chunk that is all still in flight, so polling does not load the system it measures.
            var stillPending = new ConcurrentBag<Guid>();
            var read = 0;
            foreach (var chunk in pending.Chunk(settings.Concurrency))
            {
                var before = stillPending.Count;
                await Parallel.ForEachAsync(chunk, async (orderId, token) =>
                {
                    var order = await http.GetFromJsonAsync<JsonElement>($"/orders/{orderId}", token);
                    var status = order.GetProperty("status").GetString()!;
                    if (status is "SHIPPED" or "CANCELLED")
                    {
                        var reason = order.GetProperty("cancel_reason").GetString();
                        settled.Add(new SettledOrder(reason ?? status, order.GetProperty("created_at").GetDateTimeOffset(), order.GetProperty("updated_at").GetDateTimeOffset()));
                    }
                    else
                    {
                        stillPending.Add(orderId);
                    }
                });
                read += chunk.Length;
                if (stillPending.Count - before == chunk.Length)
                {
                    break;
                }
            }

            var waiting = stillPending.Concat(pending.Skip(read)).ToHashSet();
            pending = [.. pending.Where(waiting.Contains)];
            Console.WriteLine($"  {clock.Elapsed.TotalSeconds,6:F1} s: {settled.Count} final, {pending.Count} in flight");
            if (pending.Count > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        return [.. settled];
    }

    private sealed record SettledOrder(string Outcome, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
}
