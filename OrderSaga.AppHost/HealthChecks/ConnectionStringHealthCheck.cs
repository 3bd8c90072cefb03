using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderSaga.AppHost.HealthChecks;

/// <summary>Health of a server, judged by a real request made with the resource's own connection string.</summary>
public sealed class ConnectionStringHealthCheck(IResourceWithConnectionString resource, Func<string, CancellationToken, Task> probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connectionString = await resource.GetConnectionStringAsync(cancellationToken)
                ?? throw new InvalidOperationException($"{resource.Name} has no connection string yet");
            await probe(connectionString, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, ex.Message, ex);
        }
    }
}
