using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Messaging.Kafka;

/// <summary>
/// Carries W3C trace context in Kafka headers, so one order's saga is one trace across every service.
/// (There is no OpenTelemetry instrumentation for Confluent.Kafka on our package feed, so this is ours.)
/// </summary>
public static class KafkaTracing
{
    public const string ActivitySourceName = "OrderSaga.Messaging";
    public static readonly ActivitySource Source = new(ActivitySourceName);

    private const string SendOperation = "send";
    private const string ProcessOperation = "process";

    private static TextMapPropagator Propagator => Propagators.DefaultTextMapPropagator;

    /// <summary>A producer span named as OpenTelemetry's messaging conventions name it: <c>send order-events</c>.</summary>
    public static Activity? StartPublish(string topic, string key, ActivityContext parent = default)
    {
        var activity = Source.StartActivity($"{SendOperation} {topic}", ActivityKind.Producer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            SetCommonTags(activity, SendOperation, topic, key);
        }

        return activity;
    }

    /// <summary>A consumer span (<c>process order-events</c>), a child of the context the message carries.</summary>
    public static Activity? StartProcess(ConsumeResult<string, byte[]> result, string consumerGroup, EventEnvelope? envelope = null)
    {
        var parent = Extract(result.Message.Headers);
        var activity = Source.StartActivity($"{ProcessOperation} {result.Topic}", ActivityKind.Consumer, parent.ActivityContext);
        Baggage.Current = parent.Baggage;
        if (activity is { IsAllDataRequested: true })
        {
            SetCommonTags(activity, ProcessOperation, result.Topic, result.Message.Key);
            activity.SetTag("messaging.consumer.group.name", consumerGroup);
            activity.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString(CultureInfo.InvariantCulture));
            activity.SetTag("messaging.kafka.offset", result.Offset.Value);
            if (envelope is not null)
            {
                SetEventTags(activity, envelope.EventId, envelope.Type, envelope.OrderId.ToString());
            }
        }

        return activity;
    }

    /// <summary>The trace a message belongs to, as its headers say; null when they carry none.</summary>
    public static string? TraceIdOf(Headers? headers) =>
        Extract(headers).ActivityContext is { TraceId: var traceId } context && context != default ? traceId.ToHexString() : null;

    /// <summary>The event's identity on a messaging span: the message id of the conventions, plus ours.</summary>
    public static void SetEventTags(Activity activity, Guid eventId, string eventType, string orderId)
    {
        activity.SetTag("messaging.message.id", eventId.ToString());
        activity.SetTag("ordersaga.event.type", eventType);
        activity.SetTag("ordersaga.order.id", orderId);
    }

    private static void SetCommonTags(Activity activity, string operation, string topic, string? key)
    {
        activity.SetTag("messaging.system", "kafka");
        activity.SetTag("messaging.operation.type", operation);
        activity.SetTag("messaging.operation.name", operation);
        activity.SetTag("messaging.destination.name", topic);
        activity.SetTag("messaging.kafka.message.key", key);
    }

    /// <summary>Writes the activity's context (traceparent, tracestate, baggage) into the headers.</summary>
    public static void Inject(ActivityContext context, Headers headers) =>
        Propagator.Inject(new PropagationContext(context, Baggage.Current), headers, static (carrier, name, value) =>
        {
            carrier.Remove(name);
            carrier.Add(name, Encoding.UTF8.GetBytes(value));
        });

    public static PropagationContext Extract(Headers? headers) =>
        headers is null
            ? default
            : Propagator.Extract(default, headers, static (carrier, name) =>
                carrier.TryGetLastBytes(name, out var value) ? [Encoding.UTF8.GetString(value)] : []);

    /// <summary>Serialises a context as a W3C traceparent, to keep it with a message waiting in the outbox.</summary>
    public static string? ToTraceParent(ActivityContext context) =>
        context == default
            ? null
            : $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";

    public static ActivityContext FromTraceParent(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
}
