using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Messaging.Storage;

namespace OrderSaga.Messaging.Outbox;

/// <summary>
/// Publishes committed outbox rows in the order they were written (by id: one order's events are written one
/// transaction after another, so they go out in order) and marks them sent. Rows are locked with SKIP LOCKED, so
/// several replicas can relay side by side; a crash between publish and mark means a re-publish, which the
/// consumers' idempotency absorbs. Each row stands alone: the ones the broker took are marked sent even when
/// others failed, and a row it can never take (a poison row) is set aside, logged and counted, not retried.
/// </summary>
public sealed class OutboxRelay(
    IServiceScopeFactory scopes,
    SagaProducer producer,
    OutboxSignal signal,
    SagaMetrics metrics,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var window = new BatchWindow(settings.BatchWindow, time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await producer.CanDeliverAsync(stoppingToken))
                {
                    // The rows stay unclaimed while the broker is away: locking them would only hold them.
                    await Task.Delay(settings.RetryDelay, time, stoppingToken);
                    continue;
                }

                if (window.WaitBeforeTaking() is var gather && gather > TimeSpan.Zero)
                {
                    await Task.Delay(gather, time, stoppingToken);
                }

                var published = 0;
                int batch;
                do
                {
                    batch = await PublishPendingAsync(settings.BatchSize, stoppingToken);
                    published += batch;
                }
                while (batch == settings.BatchSize);

                window.Took(published);

                await signal.WaitAsync(settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Publishing the outbox failed; retrying in {Delay}", settings.RetryDelay);
                await Task.Delay(settings.RetryDelay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<int> PublishPendingAsync(int batchSize, CancellationToken cancellationToken)
    {
        // The relay's own queries (mostly empty polls) would fill the dashboard with one-span traces; each
        // message's publication is traced instead, inside the trace of the work that wrote it.
        using var untraced = SuppressInstrumentationScope.Begin();
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<MessageStore>();
        var strategy = store.Context.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async token =>
        {
            await using var transaction = await store.Context.Database.BeginTransactionAsync(token);
            var batch = await store.OutboxMessages
                .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT {batchSize} FOR UPDATE SKIP LOCKED")
                .AsNoTracking()
                .ToListAsync(token);
            if (batch.Count == 0)
            {
                return 0;
            }

            // Produce calls are queued in order, and the idempotent producer keeps that order per partition.
            var failures = (await Task.WhenAll(batch.Select(message => TryPublishAsync(message, token))))
                .OfType<PublishFailure>()
                .ToList();

            var now = time.GetUtcNow();
            var failed = failures.Select(failure => failure.Message.Id).ToHashSet();
            var sent = batch.Where(message => !failed.Contains(message.Id)).Select(message => message.Id).ToList();
            await MarkSentAsync(store, [.. sent], now, token);
            foreach (var poison in failures.Where(failure => failure.Permanent))
            {
                await SetAsideAsync(store, poison, now, token);
            }

            await transaction.CommitAsync(token);
            if (failures.FirstOrDefault(failure => !failure.Permanent) is { } retriable)
            {
                // The broker may be down: what it took is marked, the rest waits for the retry.
                throw new KafkaException(retriable.Error.Error);
            }

            return batch.Count;
        }, cancellationToken);
    }

    /// <summary>
    /// Marks the rows sent, in a transaction that does not wait for its commit to reach the disk: a crash may lose
    /// the marks, and then the rows are published again, which the consumers' once-only claims absorb. It is the only
    /// transaction that relaxes <c>synchronous_commit</c>; every one that accepts an order or records an effect waits.
    /// </summary>
    private static async Task MarkSentAsync(MessageStore store, long[] sent, DateTimeOffset now, CancellationToken cancellationToken) =>
        await store.Context.Database.ExecuteSqlAsync($"""
            SET LOCAL synchronous_commit = off;
            UPDATE outbox_messages SET sent_at = {now} WHERE id = ANY({sent})
            """, cancellationToken);

    private async Task SetAsideAsync(MessageStore store, PublishFailure poison, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var error = poison.Error.Error.ToString();
        error = error[..Math.Min(error.Length, 1024)];
        await store.OutboxMessages.Where(message => message.Id == poison.Message.Id)
            .ExecuteUpdateAsync(setters => setters.SetProperty(message => message.SetAsideAt, now).SetProperty(message => message.LastError, error), cancellationToken);
        metrics.OutboxSetAside(poison.Message.EventType);
        logger.LogError("Set aside outbox row {OutboxId}, {EventType} {EventId} of order {OrderId}: the broker can never take it ({Error})",
            poison.Message.Id, poison.Message.EventType, poison.Message.EventId, poison.Message.MessageKey, error);
    }

    /// <summary>Publishes one row; null when the broker has it.</summary>
    private async Task<PublishFailure?> TryPublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await PublishAsync(message, cancellationToken);
            return null;
        }
        catch (ProduceException<string, byte[]> ex)
        {
            return new PublishFailure(message, ex, IsPermanent(ex.Error.Code));
        }
    }

    /// <summary>Errors no retry can cure: the message itself is wrong for this broker.</summary>
    private static bool IsPermanent(ErrorCode code) => code is
        ErrorCode.MsgSizeTooLarge or ErrorCode.RecordListTooLarge
        or ErrorCode.InvalidMsg or ErrorCode.InvalidMsgSize or ErrorCode.InvalidRecord or ErrorCode.Local_InvalidArg;

    private sealed record PublishFailure(OutboxMessage Message, ProduceException<string, byte[]> Error, bool Permanent);

    private async Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var traced = SuppressInstrumentationScope.Begin(false);
        var parent = KafkaTracing.FromTraceParent(message.TraceParent);
        using var activity = KafkaTracing.StartPublish(message.Topic, message.MessageKey, parent);
        if (activity is { IsAllDataRequested: true })
        {
            KafkaTracing.SetEventTags(activity, message.EventId, message.EventType, message.MessageKey);
        }

        await producer.ProduceAsync(message.Topic,
            EventMessage.Create(message.MessageKey, message.EventType, message.EventId, message.Envelope, activity?.Context ?? parent),
            cancellationToken);
    }
}
