using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderSaga.Messaging.Events;

/// <summary>Every message on <c>order-events</c>: the event's identity, its order and a type-specific payload.</summary>
public sealed record EventEnvelope(
    [property: JsonRequired] Guid EventId,
    [property: JsonRequired] string Type,
    [property: JsonRequired] Guid OrderId,
    [property: JsonRequired] DateTimeOffset OccurredAt,
    [property: JsonRequired] JsonElement Payload)
{
    public static EventEnvelope Create<TEvent>(Guid orderId, TEvent payload, TimeProvider time) where TEvent : ISagaEvent =>
        new(Guid.CreateVersion7(), EventType<TEvent>.Name, orderId, time.GetUtcNow(), JsonSerializer.SerializeToElement(payload, EventJson.Options));

    /// <summary>
    /// The JSON of a new envelope around <paramref name="payload"/>, written in one pass: the same text as
    /// <see cref="ToJson"/> of the envelope, without first writing the payload to a <see cref="JsonElement"/>.
    /// </summary>
    public static string ToJson<TEvent>(Guid eventId, Guid orderId, DateTimeOffset occurredAt, TEvent payload) where TEvent : ISagaEvent =>
        JsonSerializer.Serialize(new TypedEnvelope<TEvent>(eventId, EventType<TEvent>.Name, orderId, occurredAt, payload), EventJson.Options);

    /// <summary>The shape of <see cref="EventEnvelope"/> with the payload still typed, for writing.</summary>
    private sealed record TypedEnvelope<TEvent>(Guid EventId, string Type, Guid OrderId, DateTimeOffset OccurredAt, TEvent Payload);

    /// <summary>The payload as <typeparamref name="TEvent"/>; throws when the envelope holds another type or a malformed payload.</summary>
    public TEvent PayloadAs<TEvent>() where TEvent : ISagaEvent
    {
        if (Type != EventType<TEvent>.Name)
        {
            throw new InvalidOperationException($"Event {EventId} is a {Type}, not a {EventType<TEvent>.Name}.");
        }

        return Payload.Deserialize<TEvent>(EventJson.Options)
            ?? throw new JsonException($"Event {EventId} has an empty {Type} payload.");
    }

    public string ToJson() => JsonSerializer.Serialize(this, EventJson.Options);

    /// <summary>Reads an envelope, or explains why the bytes are not one.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out EventEnvelope? envelope, [NotNullWhen(false)] out string? error)
    {
        try
        {
            envelope = JsonSerializer.Deserialize<EventEnvelope>(utf8Json, EventJson.Options);
            error = envelope switch
            {
                null => "the message is JSON null",
                { EventId: var id } when id == Guid.Empty => "event_id is empty",
                { OrderId: var id } when id == Guid.Empty => "order_id is empty",
                { Type: null or "" } => "type is empty",
                { Payload.ValueKind: not JsonValueKind.Object } => "payload is not an object",
                _ => null,
            };
        }
        catch (JsonException ex)
        {
            envelope = null;
            error = $"not a JSON event envelope: {ex.Message}";
        }

        return error is null;
    }
}
