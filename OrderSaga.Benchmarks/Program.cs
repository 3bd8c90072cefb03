using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OrderSaga.Benchmarks;

// Places orders one after another against a running system and prints how long each took from
// POST /orders to its final status: as the client saw it, and as the server recorded it.
var settings = LatencySettings.Parse(args);
using var http = new HttpClient { BaseAddress = settings.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
var samples = new List<LatencySample>();

Console.WriteLine($"Placing {settings.Orders} orders of 1 x {settings.ProductId} for {settings.UserId} at {settings.ApiUrl}");
for (var i = 0; i < settings.Orders; i++)
{
    samples.Add(await PlaceAndAwaitAsync(http, settings));
}

LatencyReport.Print(samples);

static async Task<LatencySample> PlaceAndAwaitAsync(HttpClient http, LatencySettings settings)
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
