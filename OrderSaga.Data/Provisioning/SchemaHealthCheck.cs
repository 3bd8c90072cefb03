using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace OrderSaga.Data.Provisioning;

/// <summary>
/// Healthy once the database has every migration this build knows, which the provisioning job applies. A schema does
/// not go back, so once seen the answer is kept and costs nothing; a newer schema (the job of a later release ran
/// first) passes, as migrations only add what older code ignores.
/// </summary>
public sealed class SchemaHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    private volatile bool _current;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_current)
        {
            return HealthCheckResult.Healthy();
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderSagaDbContext>();
        List<string> pending;
        try
        {
            pending = [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
        }
        catch (PostgresException ex)
        {
            // The server answered (no database or no migration history yet, say): what is missing is the
            // provisioning job's work, not the server, so the result carries no exception.
            return new HealthCheckResult(context.Registration.FailureStatus, $"waiting for the provisioning job: {ex.MessageText}");
        }

        if (pending.Count > 0)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"waiting for the provisioning job: {pending.Count} migration(s) not applied, up to {pending[^1]}");
        }

        _current = true;
        return HealthCheckResult.Healthy();
    }
}
