using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrderSaga.Testing;

namespace OrderSaga.Tests.Saga;

/// <summary>
/// Calls the orders API the way a client would, signed in as the user who places each order, and waits for orders
/// to settle. Orders it did not place (written straight into the database) are read as an operator.
/// </summary>
public sealed class OrderApiClient(HttpClient http, TestTokens tokens, string operatorId) : IDisposable
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<Guid, string> _owners = new();

    public async Task<PlacedOrder> PlaceAsync(string userId, IEnumerable<(string ProductId, int Qty)> lines, string? idempotencyKey = null)
    {
        using var request = OrderRequests.Place(await tokens.ForUserAsync(userId), lines, userId, idempotencyKey);
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"POST /orders answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await OrderRequests.CreatedAsync(response);
        _owners[body.OrderId] = userId;
        return new PlacedOrder(response.StatusCode, body.OrderId, body.Status);
    }

    public Task<OrderDto> GetAsync(Guid orderId) => ReadAsync<OrderDto>(orderId, $"/orders/{orderId}");

    public Task<List<OrderEventDto>> EventsAsync(Guid orderId) => ReadAsync<List<OrderEventDto>>(orderId, $"/orders/{orderId}/events");

    private async Task<T> ReadAsync<T>(Guid orderId, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = Bearer(_owners.TryGetValue(orderId, out var owner)
            ? await tokens.ForUserAsync(owner)
            : await tokens.ForAdminAsync(operatorId));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public void Dispose() => http.Dispose();

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
