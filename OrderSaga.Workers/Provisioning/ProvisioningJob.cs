using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OrderSaga.Data;

namespace OrderSaga.Workers.Provisioning;

/// <summary>
/// The AppHost's <c>provisioning</c> resource: brings the database schema (EF Core migrations) and the topics up
/// to date, then exits so the services that wait for its completion can start.
/// </summary>
public sealed class ProvisioningJob(
    IServiceProvider services,
    TopicProvisioner topics,
    RuntimeRoleGrants runtimeRole,
    IHostApplicationLifetime lifetime,
    ILogger<ProvisioningJob> logger) : BackgroundService
{
    private static readonly ActivitySource Source = new("OrderSaga.Provisioning");

    /// <summary>How long one migration statement may wait for a lock (a long transaction of a service holds it).</summary>
    public static readonly TimeSpan MigrationLockTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = Source.StartActivity("Provisioning database and topics");
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrderSagaDbContext>();
            await using var turn = await ProvisioningLock.AcquireAsync(db.Database.GetConnectionString()!, stoppingToken);
            // A migration that waits for a table lock queues every later write to that table behind it: past
            // MigrationLockTimeout it fails instead, and the Job is retried, while the services keep writing.
            await db.Database.OpenConnectionAsync(stoppingToken);
            await db.Database.ExecuteSqlAsync($"SELECT set_config('lock_timeout', {(int)MigrationLockTimeout.TotalMilliseconds + "ms"}, false)", stoppingToken);
            var history = db.GetService<IHistoryRepository>();
            // Nothing to migrate, nothing touched: a run with no migration takes no lock a service waits behind.
            if (!await HistoryExistsAsync(db, stoppingToken) || (await db.Database.GetPendingMigrationsAsync(stoppingToken)).Any())
            {
                // EF reads the history table before it creates it, and logs that read on a new database as a
                // failed command; with the table in place first, a first start logs no error.
                await history.CreateIfNotExistsAsync(stoppingToken);
                await db.Database.MigrateAsync(stoppingToken);
            }

            logger.LogInformation("The database schema is at {Migration}", (await db.Database.GetAppliedMigrationsAsync(stoppingToken)).Last());
            await runtimeRole.GrantAsync(db.Database, stoppingToken);
            await topics.EnsureTopicsAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity?.AddException(ex);
            logger.LogCritical(ex, "Provisioning failed");
            Environment.ExitCode = 1;
        }

        lifetime.StopApplication();
    }

    /// <summary>Asked of the catalogue: EF would read the table itself, and log its absence as a failed command.</summary>
    private static async Task<bool> HistoryExistsAsync(OrderSagaDbContext db, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<bool>($"SELECT to_regclass({'"' + HistoryRepository.DefaultTableName + '"'}) IS NOT NULL AS \"Value\"").SingleAsync(cancellationToken);
}
