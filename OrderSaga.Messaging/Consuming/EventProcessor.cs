using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrderSaga.Messaging.Storage;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Messaging.Outbox;

namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// Turns a batch of messages into committed effects, each partition's in order. The events a role handles are
/// applied together in one transaction, each with its once-only claim, so a batch costs one commit instead of one
/// per event or partition. When the batch fails, its events are applied one at a time with quick retries; an event
/// that keeps failing is deferred for the slower rounds of the retry schedule and, when those are spent too,
/// dead-lettered, so one bad event never holds back the others. The quick retries of one batch share a time budget
/// (<see cref="ConsumerOptions.QuickRetryBudget"/>): past it, a failing event is deferred at its first failure, so a
/// batch of bad events holds its partitions for seconds, never past the broker's poll interval.
/// </summary>
public sealed class EventProcessor(
    IServiceScopeFactory scopes,
    IEnumerable<EventHandlerBinding> bindings,
    DeferredRetries deferredRetries,
    FailedEvents failedEvents,
    DeadLetterPublisher deadLetters,
    IOptions<ConsumerOptions> options,
    TimeProvider time,
    ILogger<EventProcessor> logger)
{
    // One handler per event type and role; a second registration for a type fails the start.
    private readonly Dictionary<string, EventHandlerBinding> _bindings = bindings.ToDictionary(binding => binding.EventType);
    private readonly RetryPolicy _retry = RetryPolicy.From(options.Value);
    private readonly TimeSpan _quickRetryBudget = options.Value.QuickRetryBudget;
    private readonly string _consumerGroup = options.Value.GroupId;
    private readonly string _claim = options.Value.Role;

    public IReadOnlyCollection<string> EventTypes => _bindings.Keys;

    /// <summary>Processes <paramref name="messages"/> (each partition's in offset order); throws when one could not be finished.</summary>
    public async Task ProcessAsync(IReadOnlyList<ConsumeResult<string, byte[]>> messages, CancellationToken cancellationToken)
    {
        var events = new List<ConsumedEvent>(messages.Count);
        foreach (var message in messages)
        {
            if (await PrepareAsync(message, cancellationToken) is { } consumed)
            {
                events.Add(consumed);
            }
        }

        if (events.Count > 1 && await TryApplyTogetherAsync(events, cancellationToken))
        {
            return;
        }

        var quickRetriesUntil = time.GetUtcNow() + _quickRetryBudget;
        foreach (var consumed in events)
        {
            await ApplyWithRetriesAsync(consumed, quickRetriesUntil, cancellationToken);
        }
    }

    /// <summary>Reads and binds a message; dead-letters one that can never be handled; null for types this role ignores.</summary>
    private async Task<ConsumedEvent?> PrepareAsync(ConsumeResult<string, byte[]> message, CancellationToken cancellationToken)
    {
        // Most events on the topic are for other roles: the type header, written from the same outbox row as the
        // envelope, spares reading their JSON. A message without it is read, and dead-lettered if it is no event.
        if (MessageHeaders.TypeOf(message.Message) is { } headerType && !_bindings.ContainsKey(headerType))
        {
            return null;
        }

        if (!EventEnvelope.TryParse(message.Message.Value, out var envelope, out var error))
        {
            using var rejected = KafkaTracing.StartProcess(message, _consumerGroup);
            await deadLetters.PublishAsync(message, _consumerGroup, DeadLetterReason.InvalidEnvelope, error, attempts: 1, cancellationToken);
            return null;
        }

        // Events of types this role ignores get no span: an order's trace shows only the work done for it.
        if (!_bindings.TryGetValue(envelope.Type, out var binding))
        {
            return null;
        }

        try
        {
            return new ConsumedEvent(message, envelope, binding, binding.Bind(envelope));
        }
        catch (JsonException ex)
        {
            // A payload that does not read now never will: retrying cannot help.
            using var rejected = KafkaTracing.StartProcess(message, _consumerGroup, envelope);
            logger.LogWarning(ex, "{EventType} {EventId} has a malformed payload", envelope.Type, envelope.EventId);
            await failedEvents.RecordAsync(_claim, envelope, cancellationToken);
            await deadLetters.PublishAsync(message, _consumerGroup, DeadLetterReason.InvalidPayload, $"the payload is not a valid {envelope.Type}", attempts: 1, cancellationToken);
            return null;
        }
    }

    private async Task<bool> TryApplyTogetherAsync(List<ConsumedEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await ApplyAsync(events, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(ex, "A batch of {Count} events failed; applying them one at a time", events.Count);
            return false;
        }
    }

    private async Task ApplyWithRetriesAsync(ConsumedEvent consumed, DateTimeOffset quickRetriesUntil, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ApplyAsync([consumed], cancellationToken);
                return;
            }
            // PostgreSQL being away says nothing about the event: the consumer waits it out instead of counting
            // it against the event, so an outage never sends events to the retry schedule or the dead letters.
            catch (Exception ex) when ((ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested) && !DatabaseOutage.IsOutage(ex))
            {
                var envelope = consumed.Envelope;
                var failure = $"{ex.GetType().Name}: {ex.GetBaseException().Message}";
                if (_retry.DelayAfter(attempt) is not { } delay || time.GetUtcNow() + delay > quickRetriesUntil)
                {
                    using var failed = KafkaTracing.StartProcess(consumed.Message, _consumerGroup, envelope);
                    failed?.AddException(ex);
                    await failedEvents.RecordAsync(_claim, envelope, cancellationToken);
                    if (!await deferredRetries.TryDeferAsync(consumed.Message, envelope, _consumerGroup, failure, cancellationToken))
                    {
                        await deadLetters.PublishAsync(consumed.Message, _consumerGroup, DeadLetterReason.HandlerFailed, failure, attempt, cancellationToken);
                    }

                    return;
                }

                logger.LogWarning(ex, "Handling {EventType} {EventId} of order {OrderId} failed on attempt {Attempt}; retrying in {Delay}",
                    envelope.Type, envelope.EventId, envelope.OrderId, attempt, delay);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    /// <summary>Applies the events with their once-only claims in one unit of work of their own.</summary>
    private async Task ApplyAsync(IReadOnlyList<ConsumedEvent> events, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var work = scope.ServiceProvider.GetRequiredService<SagaUnitOfWork>();
        // The transaction may hold events of many orders, so its own statements belong to no order's trace;
        // each event's span holds its work.
        using var untraced = SuppressInstrumentationScope.Begin();
        var byEventId = events.DistinctBy(consumed => consumed.Envelope.EventId).ToDictionary(consumed => consumed.Envelope.EventId);
        await work.ExecuteOnceAsync(
            [.. events.Select(consumed => new ClaimedStep(_claim, consumed.Envelope.EventId,
                token => RunTracedAsync(consumed, scope.ServiceProvider, token)))],
            () => [.. PreloadingHandlers(events, scope.ServiceProvider).SelectMany(handler => handler.Handler.PreloadQueries(handler.OrderIds))],
            (toRun, token) => PreloadAsync([.. toRun.Select(step => byEventId[step.EventId])], scope.ServiceProvider, token),
            cancellationToken);
    }

    /// <summary>Lets each preloading handler load, in one query, what the events about to run need.</summary>
    private static async Task PreloadAsync(IReadOnlyList<ConsumedEvent> toRun, IServiceProvider services, CancellationToken cancellationToken)
    {
        foreach (var (handler, orderIds) in PreloadingHandlers(toRun, services))
        {
            await handler.PreloadAsync(orderIds, cancellationToken);
        }
    }

    /// <summary>Each preloading handler of <paramref name="events"/>, with the orders of its events.</summary>
    private static IEnumerable<(IPreloadingEventHandler Handler, IReadOnlyCollection<Guid> OrderIds)> PreloadingHandlers(
        IReadOnlyList<ConsumedEvent> events, IServiceProvider services) =>
        events.Where(consumed => consumed.Binding.Preloads).GroupBy(consumed => consumed.Binding.HandlerType)
            .Select(handler => ((IPreloadingEventHandler)services.GetRequiredService(handler.Key),
                (IReadOnlyCollection<Guid>)[.. handler.Select(consumed => consumed.Envelope.OrderId).Distinct()]));

    /// <summary>Runs one event's step inside its own span, a child of the context its message carries.</summary>
    private async Task RunTracedAsync(ConsumedEvent consumed, IServiceProvider services, CancellationToken cancellationToken)
    {
        using var traced = SuppressInstrumentationScope.Begin(false);
        using var activity = KafkaTracing.StartProcess(consumed.Message, _consumerGroup, consumed.Envelope);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["EventId"] = consumed.Envelope.EventId,
            ["OrderId"] = consumed.Envelope.OrderId,
            ["EventType"] = consumed.Envelope.Type,
        });
        try
        {
            await consumed.Step(services, cancellationToken);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.AddException(ex);
            throw;
        }
    }

    private sealed record ConsumedEvent(ConsumeResult<string, byte[]> Message, EventEnvelope Envelope, EventHandlerBinding Binding, EventStep Step);
}
