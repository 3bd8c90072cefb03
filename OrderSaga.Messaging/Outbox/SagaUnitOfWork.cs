using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OrderSaga.Data;
using OrderSaga.Data.Entities;
using OrderSaga.Messaging.Events;
using OrderSaga.ServiceDefaults.Kafka;

namespace OrderSaga.Messaging.Outbox;

/// <summary>
/// One database transaction holding a change and the events it causes (the transactional outbox), so no code
/// path writes the database and then publishes separately. For consumers it also records the handled event id
/// in the same transaction, which makes a redelivered event a no-op.
/// </summary>
public sealed class SagaUnitOfWork(OrderSagaDbContext db, OutboxSignal signal, TimeProvider time)
{
    public OrderSagaDbContext Db => db;

    /// <summary>Queues an event; it is committed with the transaction and published by the relay afterwards.</summary>
    public void Publish(EventEnvelope envelope)
    {
        db.OutboxMessages.Add(new OutboxMessage
        {
            EventId = envelope.EventId,
            Topic = Topics.OrderEvents,
            MessageKey = envelope.OrderId.ToString(),
            EventType = envelope.Type,
            Envelope = envelope.ToJson(),
            TraceParent = KafkaTracing.ToTraceParent(Activity.Current?.Context ?? default),
            CreatedAt = time.GetUtcNow(),
        });
    }

    public void Publish<TEvent>(Guid orderId, TEvent payload) where TEvent : ISagaEvent =>
        Publish(EventEnvelope.Create(orderId, payload, time));

    /// <summary>Runs <paramref name="work"/> and saves its changes in one transaction, retried as a whole on transient failures.</summary>
    public async Task<T> ExecuteAsync<T>(Func<IDbContextTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var (result, published) = await strategy.ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var value = await work(transaction, token);
            var hasEvents = db.ChangeTracker.Entries<OutboxMessage>().Any(entry => entry.State == EntityState.Added);
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return (value, hasEvents);
        }, cancellationToken);

        if (published)
        {
            signal.Notify();
        }

        return result;
    }

    /// <summary>
    /// Applies an event's effect at most once per consumer: the event id is claimed in the same transaction as
    /// the effect. Returns false when this consumer had already handled the event.
    /// </summary>
    public Task<bool> ExecuteOnceAsync(string consumer, Guid eventId, Func<IDbContextTransaction, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        ExecuteAsync(async (transaction, token) =>
        {
            var claimed = await db.Database.ExecuteSqlAsync(
                $"INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ({consumer}, {eventId}, {time.GetUtcNow()}) ON CONFLICT DO NOTHING",
                token);
            if (claimed == 0)
            {
                return false;
            }

            await work(transaction, token);
            return true;
        }, cancellationToken);
}
