using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace OrderSaga.ServiceDefaults.Kafka;

/// <summary>
/// Carries W3C trace context in Kafka headers, so one order's saga is one trace across every service.
/// (There is no OpenTelemetry instrumentation for Confluent.Kafka on our package feed, so this is ours.)
/// </summary>
public static class KafkaTracing
{
    public const string ActivitySourceName = "OrderSaga.Messaging";
    public static readonly ActivitySource Source = new(ActivitySourceName);

    private static TextMapPropagator Propagator => Propagators.DefaultTextMapPropagator;

    public static Activity? StartPublish(string topic, string key, ActivityContext parent = default)
    {
        var activity = Source.StartActivity($"{topic} publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.kafka.message.key", key);
        return activity;
    }

    public static Activity? StartProcess(ConsumeResult<string, byte[]> result, string consumerGroup)
    {
        var parent = Extract(result.Message.Headers);
        var activity = Source.StartActivity($"{result.Topic} process", ActivityKind.Consumer, parent.ActivityContext);
        Baggage.Current = parent.Baggage;
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", result.Topic);
        activity?.SetTag("messaging.consumer.group.name", consumerGroup);
        activity?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString());
        activity?.SetTag("messaging.kafka.offset", result.Offset.Value);
        activity?.SetTag("messaging.kafka.message.key", result.Message.Key);
        return activity;
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
