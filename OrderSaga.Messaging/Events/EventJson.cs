using System.Text.Json;

namespace OrderSaga.Messaging.Events;

/// <summary>The wire format of events: snake_case JSON, as the original system wrote it.</summary>
public static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
