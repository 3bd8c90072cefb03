using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderSaga.AppHost.HealthChecks;

public static class HealthCheckExtensions
{
    /// <summary>Marks the resource healthy only once <paramref name="probe"/> succeeds against its connection string.</summary>
    public static IResourceBuilder<T> WithProbeHealthCheck<T>(this IResourceBuilder<T> builder, Func<string, CancellationToken, Task> probe)
        where T : IResourceWithConnectionString
    {
        var key = $"{builder.Resource.Name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            key, _ => new ConnectionStringHealthCheck(builder.Resource, probe), failureStatus: null, tags: null));
        return builder.WithHealthCheck(key);
    }
}
