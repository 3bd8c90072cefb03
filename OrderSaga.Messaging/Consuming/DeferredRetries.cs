using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Messaging.Storage;

namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// The slow lane of the retry schedule: an event whose quick attempts are spent is stored with the time of its
/// next round, and <see cref="DeferredEventRelay"/> publishes it again then, with its event id, so only the
/// consumer that failed acts on it. The partition's other orders are not held up while it waits.
/// </summary>
public sealed class DeferredRetries(IServiceScopeFactory scopes, IOptions<ConsumerOptions> options, TimeProvider time, ILogger<DeferredRetries> logger)
{
    private readonly IReadOnlyList<TimeSpan> _schedule = options.Value.EffectiveRetrySchedule;

    /// <summary>Stores the event for its next round; false when the rounds are spent and it belongs on the dead-letter topic.</summary>
    public async Task<bool> TryDeferAsync(ConsumeResult<string, byte[]> message, EventEnvelope envelope, string consumerGroup, string error, CancellationToken cancellationToken)
    {
        var round = RoundOf(message, consumerGroup);
        if (round >= _schedule.Count)
        {
            return false;
        }

        var dueAt = time.GetUtcNow() + _schedule[round];
        var traceParent = KafkaTracing.ToTraceParent(KafkaTracing.Extract(message.Message.Headers).ActivityContext);
        var lastError = error[..Math.Min(error.Length, 1024)];
        var json = Encoding.UTF8.GetString(message.Message.Value);
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<MessageStore>();
        // A copy that comes again from an earlier round (the original, redelivered after its consumer lost its
        // partition) leaves the event where the rounds have taken it, instead of starting them over.
        var scheduled = await store.Context.Database.ExecuteSqlAsync($"""
            INSERT INTO deferred_events (consumer, event_id, message_key, event_type, envelope, trace_parent, round, due_at, last_error)
            VALUES ({consumerGroup}, {envelope.EventId}, {message.Message.Key}, {envelope.Type}, {json}::jsonb, {traceParent}, {round + 1}, {dueAt}, {lastError})
            ON CONFLICT (consumer, event_id) DO UPDATE SET round = EXCLUDED.round, due_at = EXCLUDED.due_at, last_error = EXCLUDED.last_error
            WHERE deferred_events.round < EXCLUDED.round
            """, cancellationToken);
        if (scheduled == 0)
        {
            logger.LogInformation("{EventType} {EventId} of order {OrderId} came again from round {Round} but already waits in a later round for {ConsumerGroup}",
                envelope.Type, envelope.EventId, envelope.OrderId, round, consumerGroup);
            return true;
        }

        logger.LogWarning("{EventType} {EventId} of order {OrderId} still fails for {ConsumerGroup}; retry round {Round} of {Rounds} at {DueAt}: {Error}",
            envelope.Type, envelope.EventId, envelope.OrderId, consumerGroup, round + 1, _schedule.Count, dueAt, lastError);
        return true;
    }

    /// <summary>How many rounds this consumer group has already given the message: 0 for an original.</summary>
    public static int RoundOf(ConsumeResult<string, byte[]> message, string consumerGroup) =>
        message.Message.Headers is { } headers
        && headers.TryGetLastBytes(MessageHeaders.RetryConsumerGroup, out var group) && Encoding.UTF8.GetString(group) == consumerGroup
        && headers.TryGetLastBytes(MessageHeaders.RetryRound, out var round)
        && int.TryParse(Encoding.UTF8.GetString(round), NumberStyles.None, CultureInfo.InvariantCulture, out var rounds)
            ? rounds
            : 0;
}
