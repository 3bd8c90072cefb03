using Microsoft.EntityFrameworkCore;

namespace OrderSaga.Messaging.Storage;

/// <summary>
/// The messaging tables (outbox, once-only claims, deferred events) inside the application's own DbContext, which
/// maps them with <see cref="MessagingModel.MapSagaMessaging"/>: an event commits in the same transaction as the
/// change that caused it only if both live in one context.
/// </summary>
public sealed class MessageStore(DbContext context)
{
    /// <summary>The application's context, whose connection and transaction the messaging work shares.</summary>
    public DbContext Context => context;

    public DbSet<OutboxMessage> OutboxMessages => context.Set<OutboxMessage>();
    public DbSet<ProcessedEvent> ProcessedEvents => context.Set<ProcessedEvent>();
    public DbSet<DeferredEvent> DeferredEvents => context.Set<DeferredEvent>();
}
