using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderSaga.Data;
using OrderSaga.Messaging.Hosting;

namespace OrderSaga.Workers.StatusUpdater;

/// <summary>
/// Keeps <c>processed_events</c>, <c>failed_events</c> and <c>outbox_messages</c> from growing without bound: claims,
/// failure notes (kept as long as claims) and sent events older than their retention are deleted in small batches. Pending outbox rows are never touched.
/// </summary>
public sealed class RetentionPurger(
    IServiceScopeFactory scopes,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionPurger> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => PurgeAsync(options.Value, cancellationToken);

    private async Task PurgeAsync(RetentionOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderSagaDbContext>();
        var now = Time.GetUtcNow();
        var claimsBefore = now - settings.Claims;
        var sentBefore = now - settings.SentEvents;

        var claims = await DeleteInBatchesAsync(settings.BatchSize, batch => db.Database.ExecuteSqlAsync($"""
            DELETE FROM processed_events WHERE ctid IN (
                SELECT ctid FROM processed_events WHERE processed_at < {claimsBefore} LIMIT {batch})
            """, cancellationToken));
        var failed = await DeleteInBatchesAsync(settings.BatchSize, batch => db.Database.ExecuteSqlAsync($"""
            DELETE FROM failed_events WHERE ctid IN (
                SELECT ctid FROM failed_events WHERE failed_at < {claimsBefore} LIMIT {batch})
            """, cancellationToken));
        var sent = await DeleteInBatchesAsync(settings.BatchSize, batch => db.Database.ExecuteSqlAsync($"""
            DELETE FROM outbox_messages WHERE id IN (
                SELECT id FROM outbox_messages WHERE sent_at < {sentBefore} LIMIT {batch})
            """, cancellationToken));
        if (claims + failed + sent > 0)
        {
            logger.LogInformation("Purged {Claims} claims and {Failed} failure notes older than {ClaimsBefore} and {Sent} sent events older than {SentBefore}",
                claims, failed, claimsBefore, sent, sentBefore);
        }
    }

    private static async Task<int> DeleteInBatchesAsync(int batchSize, Func<int, Task<int>> deleteBatch)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await deleteBatch(batchSize);
            total += deleted;
        }
        while (deleted == batchSize);
        return total;
    }
}
