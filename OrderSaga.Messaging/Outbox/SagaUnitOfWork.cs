using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Messaging.Storage;
using OrderSaga.Topology;

namespace OrderSaga.Messaging.Outbox;

/// <summary>
/// One database transaction holding a change and the events it causes (the transactional outbox), so no code
/// path writes the database and then publishes separately. For consumers it also records the handled event id
/// in the same transaction, which makes a redelivered event a no-op.
/// </summary>
public sealed class SagaUnitOfWork(MessageStore store, SagaTopics topics, OutboxSignal signal, TimeProvider time, ILogger<SagaUnitOfWork> logger)
{
    private readonly DbContext _db = store.Context;
    private readonly Dictionary<string, Func<CancellationToken, Task>> _afterCommit = [];
    private bool _published;

    /// <summary>Queues an event; it is committed with the transaction and published by the relay afterwards.</summary>
    public void Publish<TEvent>(Guid orderId, TEvent payload) where TEvent : ISagaEvent
    {
        var eventId = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        Queue(eventId, orderId, EventType<TEvent>.Name, EventEnvelope.ToJson(eventId, orderId, now, payload), now);
    }

    /// <summary>Queues an envelope made beforehand, for a change that also needs its event id.</summary>
    public void Publish(EventEnvelope envelope) =>
        Queue(envelope.EventId, envelope.OrderId, envelope.Type, envelope.ToJson(), time.GetUtcNow());

    private void Queue(Guid eventId, Guid orderId, string eventType, string envelope, DateTimeOffset now)
    {
        _published = true;
        store.OutboxMessages.Add(new OutboxMessage
        {
            EventId = eventId,
            Topic = topics.OrderEvents,
            MessageKey = orderId.ToString(),
            EventType = eventType,
            Envelope = envelope,
            TraceParent = KafkaTracing.ToTraceParent(Activity.Current?.Context ?? default),
            CreatedAt = now,
        });
    }

    /// <summary>
    /// Runs <paramref name="action"/> once the transaction has committed, for side effects outside the database
    /// that must never show an uncommitted change (a cache write). Nothing runs when the transaction fails. Of
    /// actions with the same <paramref name="key"/>, only the last one registered runs; actions under different
    /// keys run side by side.
    /// </summary>
    public void AfterCommit(string key, Func<CancellationToken, Task> action) => _afterCommit[key] = action;

    /// <summary>Runs <paramref name="work"/> and saves its changes in one transaction, retried as a whole on transient failures.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var strategy = _db.Database.CreateExecutionStrategy();
        var (result, published) = await strategy.ExecuteAsync(async token =>
        {
            Reset();
            // The transaction is retried as a whole; per-save savepoints would only add two round trips each.
            _db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await _db.Database.BeginTransactionAsync(token);
            var value = await work(token);
            await _db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            // Steps may have saved their events already, so whether any were published is remembered, not read
            // from the change tracker.
            return (value, _published);
        }, cancellationToken);

        await AfterCommitAsync(published, cancellationToken);
        return result;
    }

    /// <summary>
    /// Saves what <paramref name="stage"/> adds (new rows only, no reads) as one batch of statements, which
    /// PostgreSQL runs as one implicit transaction: all or nothing, in one round trip instead of three. The batch
    /// must fit one command batch of EF Core's (a thousand statements), as an order's rows always do.
    /// <paramref name="savedBefore"/> recognizes the failure of a retry that met the batch's own rows: the connection
    /// was lost after an earlier attempt committed, so the batch counts as saved and what follows a commit still runs.
    /// </summary>
    public async Task SaveInOneBatchAsync(Action stage, Func<DbUpdateException, bool> savedBefore, CancellationToken cancellationToken)
    {
        Reset();
        stage();
        _db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            // EF Core leaves a save without its own transaction to the caller to retry; the rows stay added after a
            // failure, so a retry sends the same batch again.
            await _db.Database.CreateExecutionStrategy().ExecuteAsync(token => _db.SaveChangesAsync(token), cancellationToken);
        }
        catch (DbUpdateException ex) when (savedBefore(ex))
        {
        }

        await AfterCommitAsync(_published, cancellationToken);
    }

    private void Reset()
    {
        _db.ChangeTracker.Clear();
        _afterCommit.Clear();
        _published = false;
    }

    private async Task AfterCommitAsync(bool published, CancellationToken cancellationToken)
    {
        if (published)
        {
            signal.Notify();
        }

        await Task.WhenAll(_afterCommit.Values.Select(action => RunAfterCommitAsync(action, cancellationToken)));
    }

    /// <summary>The change is committed whatever happens here: a failure is logged, never handed to the caller as its own.</summary>
    private async Task RunAfterCommitAsync(Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        try
        {
            await action(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "A follow-up of a committed transaction failed; the committed change stands");
        }
    }

    public Task ExecuteAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        ExecuteAsync(async token =>
        {
            await work(token);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Applies each step's effect at most once per claim, all in one transaction saved once at its end: every event
    /// id is claimed in the same transaction as its effect, and a step whose claim was taken before does not run
    /// again. <paramref name="withClaims"/> makes statements sent in the claims' round trip (locks, reads the steps
    /// need); <paramref name="prepare"/> sees the steps that will run, before the first of them does.
    /// </summary>
    public Task ExecuteOnceAsync(
        IReadOnlyList<ClaimedStep> steps,
        Func<IReadOnlyList<BatchQuery>>? withClaims,
        Func<IReadOnlyList<ClaimedStep>, CancellationToken, Task>? prepare,
        CancellationToken cancellationToken) =>
        ExecuteAsync(async token =>
        {
            var claimed = await ClaimAsync(steps, withClaims?.Invoke() ?? [], token);
            // Remove, so a message delivered twice within the batch runs once.
            var toRun = steps.Where(step => claimed.Remove((step.Claim, step.EventId))).ToList();
            if (prepare is not null)
            {
                await prepare(toRun, token);
            }

            foreach (var step in toRun)
            {
                await step.Work(token);
            }
        }, cancellationToken);

    public Task ExecuteOnceAsync(IReadOnlyList<ClaimedStep> steps, CancellationToken cancellationToken) =>
        ExecuteOnceAsync(steps, withClaims: null, prepare: null, cancellationToken);

    /// <summary>Claims every step's event in one statement, <paramref name="queries"/> in the same round trip; returns the claims that were free.</summary>
    private async Task<HashSet<(string Claim, Guid EventId)>> ClaimAsync(IReadOnlyList<ClaimedStep> steps, IReadOnlyList<BatchQuery> queries, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)_db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)_db.Database.CurrentTransaction!.GetDbTransaction());
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            INSERT INTO processed_events (consumer, event_id, processed_at)
            SELECT claim, event_id, $3 FROM unnest($1, $2) AS batch(claim, event_id)
            ON CONFLICT DO NOTHING
            RETURNING consumer, event_id
            """)
        {
            Parameters =
            {
                new NpgsqlParameter { Value = steps.Select(step => step.Claim).ToArray() },
                new NpgsqlParameter { Value = steps.Select(step => step.EventId).ToArray() },
                new NpgsqlParameter { Value = time.GetUtcNow() },
            },
        });
        foreach (var query in queries)
        {
            batch.BatchCommands.Add(query.Command);
        }

        var claimed = new HashSet<(string, Guid)>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add((reader.GetString(0), reader.GetGuid(1)));
        }

        foreach (var query in queries)
        {
            await reader.NextResultAsync(cancellationToken);
            await query.ReadAsync(reader, cancellationToken);
        }

        return claimed;
    }
}

/// <summary>
/// An event's effect and the claim that lets it happen only once. Its changes are saved with the rest of the batch,
/// so it sees what an earlier step of the batch changed through the tracked entities, not through a query.
/// </summary>
public sealed record ClaimedStep(string Claim, Guid EventId, Func<CancellationToken, Task> Work);
