using System.Text;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrderSaga.Data;
using OrderSaga.Data.Entities;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Kafka;

namespace OrderSaga.Messaging.Outbox;

/// <summary>
/// Publishes committed outbox rows in commit order and marks them sent. Rows are locked with SKIP LOCKED, so
/// several replicas can relay side by side; a crash between publish and mark means a re-publish, which the
/// consumers' idempotency absorbs.
/// </summary>
public sealed class OutboxRelay(
    IServiceScopeFactory scopes,
    IProducer<string, byte[]> producer,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishPendingAsync(settings.BatchSize, stoppingToken) == settings.BatchSize)
                {
                }

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
        var db = scope.ServiceProvider.GetRequiredService<OrderSagaDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var batch = await db.OutboxMessages
                .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT {batchSize} FOR UPDATE SKIP LOCKED")
                .AsNoTracking()
                .ToListAsync(token);
            if (batch.Count == 0)
            {
                return 0;
            }

            // Produce calls are queued in order, and the idempotent producer keeps that order per partition.
            await Task.WhenAll(batch.Select(message => PublishAsync(message, token)));

            var ids = batch.Select(message => message.Id).ToList();
            var sentAt = time.GetUtcNow();
            await db.OutboxMessages.Where(message => ids.Contains(message.Id))
                .ExecuteUpdateAsync(setters => setters.SetProperty(message => message.SentAt, sentAt), token);
            await transaction.CommitAsync(token);
            return batch.Count;
        }, cancellationToken);
    }

    private async Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var traced = SuppressInstrumentationScope.Begin(false);
        var parent = KafkaTracing.FromTraceParent(message.TraceParent);
        using var activity = KafkaTracing.StartPublish(message.Topic, message.MessageKey, parent);
        if (activity is { IsAllDataRequested: true })
        {
            KafkaTracing.SetEventTags(activity, message.EventId, message.EventType, message.MessageKey);
        }

        var headers = new Headers
        {
            { MessageHeaders.EventType, Encoding.UTF8.GetBytes(message.EventType) },
            { MessageHeaders.EventId, Encoding.UTF8.GetBytes(message.EventId.ToString()) },
        };
        KafkaTracing.Inject(activity?.Context ?? parent, headers);

        await producer.ProduceAsync(message.Topic, new Message<string, byte[]>
        {
            Key = message.MessageKey,
            Value = Encoding.UTF8.GetBytes(message.Envelope),
            Headers = headers,
        }, cancellationToken);
    }
}
