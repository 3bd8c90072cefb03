using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OrderSaga.Benchmarks;

// Measures a running system from outside. `latency` places orders one after another and prints how long
// each took from POST /orders to its final status; `burst` places many at once and measures the drain.
var settings = BenchmarkSettings.Parse(args);
using var http = new HttpClient { BaseAddress = settings.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
if (settings.Scenario == "burst")
{
    await BurstBenchmark.RunAsync(http, settings);
    return;
}

var samples = new List<LatencySample>();

Console.WriteLine($"Placing {settings.Orders} orders of 1 x {settings.ProductId} for {settings.UserId} at {settings.ApiUrl}");
for (var i = 0; i < settings.Orders; i++)
{
    samples.Add(await PlaceAndAwaitAsync(http, settings));
}

LatencyReport.Print(samples);

static async Task<LatencySample> PlaceAndAwaitAsync(HttpClient http, BenchmarkSettings settings)
{
    var clock = Stopwatch.StartNew();
    using var response = await http.PostAsJsonAsync("/orders", new { user_id = settings.UserId, items = new[] { new { product_id = settings.ProductId, qty = 1 } } });
    response.EnsureSuccessStatusCode();
    var orderId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order_id").GetString();

    while (true)
    {
        var order = await http.GetFromJsonAsync<JsonElement>($"/orders/{orderId}");
        var status = order.GetProperty("status").GetString()!;
        if (status is "SHIPPED" or "CANCELLED")
        {
            var observed = clock.Elapsed;
            var recorded = order.GetProperty("updated_at").GetDateTimeOffset() - order.GetProperty("created_at").GetDateTimeOffset();
            return new LatencySample(status, observed, recorded);
        }

        if (clock.Elapsed > TimeSpan.FromSeconds(60))
        {
            throw new TimeoutException($"Order {orderId} is still {status} after 60 s.");
        }

        await Task.Delay(settings.PollInterval);
    }
}
