using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OrderSaga.Messaging.Events;

/// <summary>The wire format of events: snake_case JSON, as the original system wrote it.</summary>
public static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };
}
