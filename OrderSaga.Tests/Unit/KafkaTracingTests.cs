using System.Diagnostics;
using OrderSaga.Messaging.Kafka;

namespace OrderSaga.Tests.Unit;

public sealed class KafkaTracingTests
{
    [Fact]
    public void A_context_kept_in_the_outbox_comes_back_unchanged()
    {
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        var traceParent = KafkaTracing.ToTraceParent(context);

        Assert.Equal($"00-{context.TraceId}-{context.SpanId}-01", traceParent);
        var restored = KafkaTracing.FromTraceParent(traceParent);
        Assert.Equal(context.TraceId, restored.TraceId);
        Assert.Equal(context.SpanId, restored.SpanId);
        Assert.Equal(ActivityTraceFlags.Recorded, restored.TraceFlags);
    }

    [Fact]
    public void No_context_is_stored_as_nothing()
    {
        Assert.Null(KafkaTracing.ToTraceParent(default));
        Assert.Equal(default, KafkaTracing.FromTraceParent(null));
    }
}
