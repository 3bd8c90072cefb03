using System.Text.Json.Serialization;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>The API's JSON as a client sees it, written out independently of the server's own types.</summary>
public sealed record ProductDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("price")] decimal Price,
    [property: JsonPropertyName("stock")] int Stock);
