using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Storage;

namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// Notes each event a role hands to its retry rounds or the dead letters (<c>failed_events</c>), before it does, so a
/// search for events the broker lost can tell them from events the role itself holds back.
/// </summary>
public sealed class FailedEvents(IServiceScopeFactory scopes, TimeProvider time)
{
    public async Task RecordAsync(string role, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<MessageStore>();
        await store.Context.Database.ExecuteSqlAsync($"""
            INSERT INTO failed_events (consumer, event_id, message_key, event_type, failed_at)
            VALUES ({role}, {envelope.EventId}, {envelope.OrderId.ToString()}, {envelope.Type}, {time.GetUtcNow()})
            ON CONFLICT (consumer, event_id) DO NOTHING
            """, cancellationToken);
    }
}
