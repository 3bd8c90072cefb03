using System.Text.Json;
using OrderSaga.Data.ReadModels;

namespace OrderSaga.Data.Caching;

/// <summary>
/// An <see cref="OrderView"/> as the cache holds it: the JSON <c>GET /orders/{id}</c> answers with (snake_case,
/// like the API), and its owner, read from it so the caller can be checked without reading the rest.
/// </summary>
public sealed record CachedOrderView(string UserId, byte[] Json)
{
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly string UserIdProperty = JsonNamingPolicy.SnakeCaseLower.ConvertName(nameof(OrderView.UserId));

    /// <summary>The cached view with its owner; null when the JSON names none.</summary>
    public static CachedOrderView? Read(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isOwner = reader.ValueTextEquals(UserIdProperty);
            reader.Read();
            if (isOwner)
            {
                return reader.TokenType == JsonTokenType.String ? new CachedOrderView(reader.GetString()!, json) : null;
            }

            reader.Skip();
        }

        return null;
    }
}
