using System.Net.Http.Json;
using OrderSaga.Topology;

namespace OrderSaga.Operator.CustomerApi;

/// <summary>
/// The customer api, called from the console's server with the operator's own token: the board's page stays on one
/// origin, and the api keeps the only code that places and reads orders. Found through service discovery
/// (<c>http://api</c>), so a call is traced from the console into the api.
/// </summary>
public sealed class CustomerApiClient(HttpClient http)
{
    public static readonly Uri Address = new($"http://{ResourceNames.Api}");

    /// <summary>Demo baskets for people watching the board: the webcam has no stock, so one order fails on purpose.</summary>
    private static readonly object[] DemoBaskets =
    [
        new { items = new[] { new { product_id = "prod-mouse", qty = 1 }, new { product_id = "prod-keyboard", qty = 1 } } },
        new { items = new[] { new { product_id = "prod-mouse", qty = 2 } } },
        new { items = new[] { new { product_id = "prod-keyboard", qty = 1 } } },
        new { items = new[] { new { product_id = "prod-webcam", qty = 1 } } },
    ];

    /// <summary>An order's audit trail, answered as the api answers it.</summary>
    public async Task<IResult> OrderEventsAsync(Guid orderId, string authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/orders/{orderId}/events");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await http.SendAsync(request, cancellationToken);
        return Results.Content(await response.Content.ReadAsStringAsync(cancellationToken),
            response.Content.Headers.ContentType?.ToString(), statusCode: (int)response.StatusCode);
    }

    /// <summary>
    /// Places the demo baskets in the operator's name. Each carries an Idempotency-Key, so the resilient client's
    /// retry of a lost answer cannot place it twice.
    /// </summary>
    public async Task<DemoOrdersPlaced> PlaceDemoOrdersAsync(string authorization, CancellationToken cancellationToken)
    {
        var placed = await Task.WhenAll(DemoBaskets.Select(async basket =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(basket) };
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode;
        }));
        return new DemoOrdersPlaced(placed.Count(success => success), placed.Count(success => !success));
    }
}

public sealed record DemoOrdersPlaced(int Placed, int Refused);
