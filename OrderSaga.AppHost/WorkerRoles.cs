using Microsoft.Extensions.Configuration;

namespace OrderSaga.AppHost;

/// <summary>How the AppHost wires OrderSaga.Workers processes, one per saga role.</summary>
public static class WorkerRoles
{
    /// <summary>OrderSaga.Workers reads its role from <c>Worker:Role</c>.</summary>
    public const string EnvironmentVariable = "Worker__Role";

    public static IResourceBuilder<ProjectResource> AddSagaWorker(
        this IDistributedApplicationBuilder builder,
        string role,
        IResourceBuilder<ProjectResource> migrations,
        params IResourceBuilder<IResourceWithConnectionString>[] dependencies)
    {
        var worker = builder.AddProject<Projects.OrderSaga_Workers>(role)
            .WithEnvironment(EnvironmentVariable, role)
            .WithReplicas(builder.Configuration.GetValue($"Scale:{role}", 1))
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/health")
            .WaitForCompletion(migrations)
            .WithSettings(builder.Configuration, "Consumer", "Outbox");
        foreach (var dependency in dependencies)
        {
            worker.Uses(dependency);
        }

        return worker;
    }

    /// <summary>Hands the service the dependency's connection string and holds its start until the dependency is healthy.</summary>
    public static IResourceBuilder<ProjectResource> Uses(this IResourceBuilder<ProjectResource> service, IResourceBuilder<IResourceWithConnectionString> dependency) =>
        service.WithReference(dependency).WaitFor(dependency);
}
