using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OrderSaga.Data;
using OrderSaga.Data.Entities;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Topology;

namespace OrderSaga.Messaging.Outbox;

/// <summary>
/// One database transaction holding a change and the events it causes (the transactional outbox), so no code
/// path writes the database and then publishes separately. For consumers it also records the handled event id
/// in the same transaction, which makes a redelivered event a no-op.
/// </summary>
public sealed class SagaUnitOfWork(OrderSagaDbContext db, OutboxSignal signal, TimeProvider time)
{
    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];

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

    /// <summary>
    /// Runs <paramref name="action"/> once the transaction has committed, for side effects outside the database
    /// that must never show an uncommitted change (a cache write). Nothing runs when the transaction fails.
    /// </summary>
    public void AfterCommit(Func<CancellationToken, Task> action) => _afterCommit.Add(action);

    /// <summary>Runs <paramref name="work"/> and saves its changes in one transaction, retried as a whole on transient failures.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var (result, published) = await strategy.ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            _afterCommit.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var value = await work(token);
            var hasEvents = db.ChangeTracker.Entries<OutboxMessage>().Any(entry => entry.State == EntityState.Added);
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return (value, hasEvents);
        }, cancellationToken);

        if (published)
        {
            signal.Notify();
        }

        foreach (var action in _afterCommit)
        {
            await action(cancellationToken);
        }

        return result;
    }

    public Task ExecuteAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        ExecuteAsync(async token =>
        {
            await work(token);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Applies an event's effect at most once per <paramref name="claim"/>: the event id is claimed in the same
    /// transaction as the effect. Returns false when the claim had already been taken.
    /// </summary>
    public Task<bool> ExecuteOnceAsync(string claim, Guid eventId, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        ExecuteAsync(async token =>
        {
            var claimed = await db.Database.ExecuteSqlAsync(
                $"INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ({claim}, {eventId}, {time.GetUtcNow()}) ON CONFLICT DO NOTHING",
                token);
            if (claimed == 0)
            {
                return false;
            }

            await work(token);
            return true;
        }, cancellationToken);
}
