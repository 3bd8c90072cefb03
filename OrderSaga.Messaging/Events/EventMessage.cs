using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using OrderSaga.Messaging.Kafka;

namespace OrderSaga.Messaging.Events;

/// <summary>The Kafka message that carries a stored event envelope: keyed by order, typed and identified in headers, traced.</summary>
public static class EventMessage
{
    public static Message<string, byte[]> Create(string orderKey, string eventType, Guid eventId, string envelope, ActivityContext trace)
    {
        var headers = new Headers
        {
            { MessageHeaders.EventType, Encoding.UTF8.GetBytes(eventType) },
            { MessageHeaders.EventId, Encoding.UTF8.GetBytes(eventId.ToString()) },
        };
        KafkaTracing.Inject(trace, headers);
        return new Message<string, byte[]> { Key = orderKey, Value = Encoding.UTF8.GetBytes(envelope), Headers = headers };
    }
}
