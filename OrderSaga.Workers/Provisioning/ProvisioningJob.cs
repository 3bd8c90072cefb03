using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OrderSaga.Data;

namespace OrderSaga.Workers.Provisioning;

/// <summary>
/// The AppHost's <c>provisioning</c> resource: brings the database schema (EF Core migrations) and the topics up
/// to date, then exits so the services that wait for its completion can start.
/// </summary>
public sealed class ProvisioningJob(
    IServiceProvider services,
    TopicProvisioner topics,
    IHostApplicationLifetime lifetime,
    ILogger<ProvisioningJob> logger) : BackgroundService
{
    private static readonly ActivitySource Source = new("OrderSaga.Provisioning");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = Source.StartActivity("Provisioning database and topics");
        try
        {
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<OrderSagaDbContext>();
                var pending = (await db.Database.GetPendingMigrationsAsync(stoppingToken)).ToList();
                await db.Database.MigrateAsync(stoppingToken);
                logger.LogInformation("Applied {Count} migrations: {Migrations}", pending.Count, string.Join(", ", pending));
            }

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
}
