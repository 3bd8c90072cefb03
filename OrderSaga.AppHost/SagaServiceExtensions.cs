using Microsoft.Extensions.Configuration;
using OrderSaga.Topology;

namespace OrderSaga.AppHost;

/// <summary>How the AppHost wires OrderSaga.Workers processes, one per role.</summary>
public static class SagaServiceExtensions
{
    /// <summary>The readiness endpoint ServiceDefaults maps in every service.</summary>
    public const string HealthEndpoint = "/health";

    /// <summary>OrderSaga.Workers reads its role from <c>Worker:Role</c>, handed over as an environment variable.</summary>
    private static readonly string RoleVariable = SagaRoles.ConfigurationKey.Replace(":", "__");

    /// <summary>The one-shot job that migrates the database and creates the topics, then exits.</summary>
    public static IResourceBuilder<ProjectResource> AddProvisioning(this IDistributedApplicationBuilder builder) =>
        builder.AddProject<Projects.OrderSaga_Workers>(ResourceNames.Provisioning)
            .WithEnvironment(RoleVariable, SagaRoles.Provisioning);

    public static IResourceBuilder<ProjectResource> AddSagaWorker(
        this IDistributedApplicationBuilder builder,
        string role,
        IResourceBuilder<ProjectResource> provisioning,
        params IResourceBuilder<IResourceWithConnectionString>[] dependencies)
    {
        var worker = builder.AddProject<Projects.OrderSaga_Workers>(role)
            .WithEnvironment(RoleVariable, role)
            .WithReplicas(builder.Configuration.GetValue($"Scale:{role}", 1))
            .WithHttpEndpoint()
            .WithHttpHealthCheck(HealthEndpoint)
            .WaitForCompletion(provisioning)
            .WithSettings(builder.Configuration, "Consumer", "Database", "Kafka:Consumer", "Kafka:Producer", "Outbox", "Telemetry");
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
