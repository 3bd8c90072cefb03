using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Hosting;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Messaging.Storage;
using OrderSaga.Topology;

namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// Publishes this role's deferred events again when they are due, marked with their retry round and this
/// role's group; a row is deleted only in the transaction that follows its publication, so none is lost.
/// </summary>
public sealed class DeferredEventRelay(
    IServiceScopeFactory scopes,
    SagaProducer producer,
    SagaTopics topics,
    IOptions<ConsumerOptions> options,
    TimeProvider time,
    ILogger<DeferredEventRelay> logger) : PeriodicJob(time, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => options.Value.DeferralInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        // Due events stay unclaimed while the broker is away: locking them would only hold them.
        if (!await producer.CanDeliverAsync(cancellationToken))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<MessageStore>();
        await store.Context.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            await using var transaction = await store.Context.Database.BeginTransactionAsync(token);
            var group = options.Value.GroupId;
            var now = Time.GetUtcNow();
            var due = await store.DeferredEvents
                .FromSql($"SELECT * FROM deferred_events WHERE consumer = {group} AND due_at <= {now} ORDER BY due_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                .AsNoTracking()
                .ToListAsync(token);
            if (due.Count == 0)
            {
                return;
            }

            await Task.WhenAll(due.Select(deferred => PublishAsync(deferred, token)));
            var ids = due.Select(deferred => deferred.Id).ToList();
            await store.DeferredEvents.Where(deferred => ids.Contains(deferred.Id)).ExecuteDeleteAsync(token);
            await transaction.CommitAsync(token);
        }, cancellationToken);
    }

    private async Task PublishAsync(DeferredEvent deferred, CancellationToken cancellationToken)
    {
        var message = EventMessage.Create(deferred.MessageKey, deferred.EventType, deferred.EventId, deferred.Envelope,
            KafkaTracing.FromTraceParent(deferred.TraceParent));
        message.Headers.Add(MessageHeaders.RetryRound, Encoding.UTF8.GetBytes(deferred.Round.ToString(CultureInfo.InvariantCulture)));
        message.Headers.Add(MessageHeaders.RetryConsumerGroup, Encoding.UTF8.GetBytes(deferred.Consumer));
        await producer.ProduceAsync(topics.OrderEvents, message, cancellationToken);
        logger.LogInformation("Published {EventType} {EventId} of order {OrderId} again for {ConsumerGroup}, retry round {Round}",
            deferred.EventType, deferred.EventId, deferred.MessageKey, deferred.Consumer, deferred.Round);
    }
}
