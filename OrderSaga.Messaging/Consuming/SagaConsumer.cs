using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Topology;

namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// The consume loop of one saga role: reads <c>order-events</c> in its own consumer group, hands each event to
/// the handler bound to its type with retries and backoff, dead-letters what cannot be handled, and stores an offset
/// only after the message's effect (or its dead letter) is durable. Nothing is skipped silently.
/// </summary>
public sealed class SagaConsumer(
    KafkaClientFactory clients,
    IServiceScopeFactory scopes,
    IEnumerable<EventHandlerBinding> bindings,
    DeadLetterPublisher deadLetters,
    IOptions<ConsumerOptions> options,
    TimeProvider time,
    ILogger<SagaConsumer> logger) : BackgroundService
{
    // One handler per event type and role; a second registration for a type fails the start.
    private readonly Dictionary<string, EventHandlerBinding> _bindings = bindings.ToDictionary(binding => binding.EventType);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var retry = RetryPolicy.From(settings);
        using var consumer = clients.CreateConsumer(settings.GroupId);
        consumer.Subscribe(Topics.OrderEvents);
        logger.LogInformation("Consuming {Topic} as group {ConsumerGroup} for {EventTypes}", Topics.OrderEvents, settings.GroupId, string.Join(", ", _bindings.Keys));

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (Next(consumer, stoppingToken) is not { } result)
                {
                    await Task.Delay(settings.InitialBackoff, time, stoppingToken);
                    continue;
                }

                if (result.Message is null)
                {
                    continue;
                }

                try
                {
                    await ProcessAsync(result, settings.GroupId, retry, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Not even the dead letter could be written (the broker may be down): read the message again
                    // rather than move past it.
                    logger.LogError(ex, "Could not finish {Topic}/{Partition}@{Offset}; it will be consumed again", result.Topic, result.Partition.Value, result.Offset.Value);
                    Rewind(consumer, result);
                    await Task.Delay(settings.MaxBackoff, time, stoppingToken);
                    continue;
                }

                StoreOffset(consumer, result);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Leaves the group at once and commits the stored offsets, so a restart resumes where we stopped.
            consumer.Close();
        }
    }

    private ConsumeResult<string, byte[]>? Next(IConsumer<string, byte[]> consumer, CancellationToken stoppingToken)
    {
        try
        {
            return consumer.Consume(stoppingToken);
        }
        catch (ConsumeException ex)
        {
            logger.LogWarning(ex, "Consuming {Topic} failed: {Reason}", Topics.OrderEvents, ex.Error.Reason);
            return null;
        }
    }

    private void StoreOffset(IConsumer<string, byte[]> consumer, ConsumeResult<string, byte[]> result)
    {
        try
        {
            consumer.StoreOffset(result);
        }
        catch (KafkaException ex)
        {
            // The partition moved to another consumer during a rebalance; it will deliver this message again and
            // the handlers' idempotency absorbs the repeat.
            logger.LogWarning("Offset {Offset} of {Topic}/{Partition} not stored: {Reason}", result.Offset.Value, result.Topic, result.Partition.Value, ex.Error.Reason);
        }
    }

    private void Rewind(IConsumer<string, byte[]> consumer, ConsumeResult<string, byte[]> result)
    {
        try
        {
            consumer.Seek(result.TopicPartitionOffset);
        }
        catch (KafkaException ex)
        {
            logger.LogWarning("Could not rewind {Topic}/{Partition} to {Offset}: {Reason}", result.Topic, result.Partition.Value, result.Offset.Value, ex.Error.Reason);
        }
    }

    private async Task ProcessAsync(ConsumeResult<string, byte[]> result, string consumerGroup, RetryPolicy retry, CancellationToken cancellationToken)
    {
        if (!EventEnvelope.TryParse(result.Message.Value, out var envelope, out var error))
        {
            using var rejected = KafkaTracing.StartProcess(result, consumerGroup);
            await deadLetters.PublishAsync(result, consumerGroup, DeadLetterReason.InvalidEnvelope, error, attempts: 1, cancellationToken);
            return;
        }

        // Events of types this role ignores get no span: an order's trace shows only the work done for it.
        if (!_bindings.TryGetValue(envelope.Type, out var binding))
        {
            return;
        }

        using var activity = KafkaTracing.StartProcess(result, consumerGroup, envelope);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["EventId"] = envelope.EventId, ["OrderId"] = envelope.OrderId, ["EventType"] = envelope.Type });
        if (Bind(binding, envelope) is not { } step)
        {
            await deadLetters.PublishAsync(result, consumerGroup, DeadLetterReason.InvalidPayload, $"the payload is not a valid {envelope.Type}", attempts: 1, cancellationToken);
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RunOnceAsync(binding.Claim, envelope.EventId, step, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var failure = $"{ex.GetType().Name}: {ex.GetBaseException().Message}";
                if (retry.DelayAfter(attempt) is not { } delay)
                {
                    activity?.AddException(ex);
                    await deadLetters.PublishAsync(result, consumerGroup, DeadLetterReason.HandlerFailed, failure, attempt, cancellationToken);
                    return;
                }

                logger.LogWarning(ex, "Handling {EventType} {EventId} failed on attempt {Attempt}; retrying in {Delay}", envelope.Type, envelope.EventId, attempt, delay);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    private EventStep? Bind(EventHandlerBinding binding, EventEnvelope envelope)
    {
        try
        {
            return binding.Bind(envelope);
        }
        catch (JsonException ex)
        {
            // A payload that does not read now never will: retrying cannot help.
            logger.LogWarning(ex, "{EventType} {EventId} has a malformed payload", envelope.Type, envelope.EventId);
            return null;
        }
    }

    /// <summary>Runs the step in its own scope and transaction, together with the event's once-only claim.</summary>
    private async Task RunOnceAsync(string claim, Guid eventId, EventStep step, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var work = scope.ServiceProvider.GetRequiredService<SagaUnitOfWork>();
        await work.ExecuteOnceAsync(claim, eventId, token => step(scope.ServiceProvider, token), cancellationToken);
    }
}
