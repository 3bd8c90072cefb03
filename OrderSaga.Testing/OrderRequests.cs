using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace OrderSaga.Testing;

/// <summary>What a client of <c>POST /orders</c> sends and gets back, as the tests and the benchmark place orders.</summary>
public static class OrderRequests
{
    /// <summary>
    /// A request placing an order of <paramref name="lines"/> with <paramref name="token"/>; in
    /// <paramref name="userId"/>'s name when given (else the token's), guarded by <paramref name="idempotencyKey"/> when given.
    /// </summary>
    public static HttpRequestMessage Place(string token, IEnumerable<(string ProductId, int Qty)> lines, string? userId = null, string? idempotencyKey = null)
    {
        var items = lines.Select(line => new { product_id = line.ProductId, qty = line.Qty });
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = userId is null ? JsonContent.Create(new { items }) : JsonContent.Create(new { user_id = userId, items }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    /// <summary>The body of an accepted order (201, or 200 for a repeated Idempotency-Key).</summary>
    public static async Task<CreatedOrder> CreatedAsync(HttpResponseMessage response, CancellationToken cancellationToken = default) =>
        await response.Content.ReadFromJsonAsync<CreatedOrder>(cancellationToken)
        ?? throw new InvalidOperationException("POST /orders answered without a body");
}

public sealed record CreatedOrder(
    [property: JsonPropertyName("order_id")] Guid OrderId,
    [property: JsonPropertyName("status")] string Status);
