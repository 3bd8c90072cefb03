using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderSaga.Tests.Saga;

/// <summary>Calls the orders API the way a client would, and waits for orders to settle.</summary>
public sealed class OrderApiClient(HttpClient http)
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    public async Task<PlacedOrder> PlaceAsync(string userId, IEnumerable<(string ProductId, int Qty)> lines, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = JsonContent.Create(new
            {
                user_id = userId,
                items = lines.Select(line => new { product_id = line.ProductId, qty = line.Qty }),
            }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"POST /orders answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<CreatedOrderDto>();
        return new PlacedOrder(response.StatusCode, body!.OrderId, body.Status);
    }

    public async Task<OrderDto> GetAsync(Guid orderId) =>
        (await http.GetFromJsonAsync<OrderDto>($"/orders/{orderId}"))!;

    public async Task<List<OrderEventDto>> EventsAsync(Guid orderId) =>
        (await http.GetFromJsonAsync<List<OrderEventDto>>($"/orders/{orderId}/events"))!;

    /// <summary>Polls GET /orders/{id} until the order is SHIPPED or CANCELLED.</summary>
    public Task<OrderDto> WaitUntilSettledAsync(Guid orderId) =>
        WaitUntilAsync(orderId, order => order.Status is "SHIPPED" or "CANCELLED", "settled");

    private async Task<OrderDto> WaitUntilAsync(Guid orderId, Func<OrderDto, bool> reached, string description)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        while (true)
        {
            var order = await GetAsync(orderId);
            if (reached(order))
            {
                return order;
            }

            Assert.True(DateTime.UtcNow < deadline, $"order {orderId} is still {order.Status}, not {description}, after {SettleTimeout.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}

public sealed record PlacedOrder(HttpStatusCode StatusCode, Guid OrderId, string Status);

public sealed record CreatedOrderDto(
    [property: JsonPropertyName("order_id")] Guid OrderId,
    [property: JsonPropertyName("status")] string Status);

public sealed record OrderDto(
    [property: JsonPropertyName("order_id")] Guid OrderId,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("cancel_reason")] string? CancelReason,
    [property: JsonPropertyName("items")] List<OrderLineDto> Items,
    [property: JsonPropertyName("total")] decimal Total,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt);

public sealed record OrderLineDto(
    [property: JsonPropertyName("product_id")] string ProductId,
    [property: JsonPropertyName("qty")] int Qty,
    [property: JsonPropertyName("unit_price")] decimal UnitPrice);

public sealed record OrderEventDto(
    [property: JsonPropertyName("event_id")] Guid EventId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("occurred_at")] DateTimeOffset OccurredAt,
    [property: JsonPropertyName("payload")] JsonElement Payload);
