using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using OrderSaga.Messaging.Contract;
using OrderSaga.Messaging.Kafka;

namespace OrderSaga.Messaging.Events;

/// <summary>
/// The Kafka message that carries a stored event envelope: keyed by order, typed and identified in headers (ours, read
/// by every release, and the CloudEvents Kafka binding's), traced.
/// </summary>
public static class EventMessage
{
    /// <summary>The CloudEvents <c>source</c> of every event: the saga, whichever of its services wrote it.</summary>
    public const string Source = "urn:ordersaga:order-saga";

    public static Message<string, byte[]> Create(string orderKey, string eventType, Guid eventId, string envelope, ActivityContext trace)
    {
        var value = Encoding.UTF8.GetBytes(envelope);
        var headers = new Headers
        {
            { MessageHeaders.EventType, Encoding.UTF8.GetBytes(eventType) },
            { MessageHeaders.EventId, Encoding.UTF8.GetBytes(eventId.ToString()) },
            { MessageHeaders.CloudEventsSpecVersion, "1.0"u8.ToArray() },
            { MessageHeaders.CloudEventsId, Encoding.UTF8.GetBytes(eventId.ToString()) },
            { MessageHeaders.CloudEventsSource, Encoding.UTF8.GetBytes(Source) },
            { MessageHeaders.CloudEventsType, Encoding.UTF8.GetBytes(eventType) },
            { MessageHeaders.CloudEventsSubject, Encoding.UTF8.GetBytes(orderKey) },
            { MessageHeaders.CloudEventsDataSchema, Encoding.UTF8.GetBytes(EventSchemas.IdOf(eventType).ToString()) },
            { MessageHeaders.ContentType, "application/json"u8.ToArray() },
        };
        if (OccurredAt(value) is { } occurredAt)
        {
            headers.Add(MessageHeaders.CloudEventsTime, Encoding.UTF8.GetBytes(occurredAt.ToString("O", CultureInfo.InvariantCulture)));
        }

        KafkaTracing.Inject(trace, headers);
        return new Message<string, byte[]> { Key = orderKey, Value = value, Headers = headers };
    }

    /// <summary>The envelope's <c>occurred_at</c>, read without parsing the rest (it comes before the payload).</summary>
    private static DateTimeOffset? OccurredAt(ReadOnlySpan<byte> envelope)
    {
        var reader = new Utf8JsonReader(envelope);
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("occurred_at"u8))
            {
                return reader.Read() && reader.TryGetDateTimeOffset(out var occurredAt) ? occurredAt : null;
            }

            if (reader.CurrentDepth == 1 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        return null;
    }
}
