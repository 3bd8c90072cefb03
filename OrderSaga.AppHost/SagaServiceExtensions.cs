using Microsoft.Extensions.Configuration;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Topology;

namespace OrderSaga.AppHost;

/// <summary>How the AppHost wires OrderSaga.Workers processes: one per role, or one for every saga role.</summary>
public static class SagaServiceExtensions
{
    /// <summary>Set to true, one process plays every saga role (<see cref="SagaRoles.CombinedWorkers"/>) instead of one process each.</summary>
    public const string CombineWorkersKey = "Workers:Combined";

    /// <summary>The saga roles that use Redis besides the database and the broker.</summary>
    private static readonly string[] UseRedis = [SagaRoles.StatusUpdater];

    /// <summary>The one-shot job that migrates the database and creates the topics, then exits.</summary>
    public static IResourceBuilder<ProjectResource> AddProvisioning(this IDistributedApplicationBuilder builder) =>
        builder.AddProject<Projects.OrderSaga_Workers>(ResourceNames.Provisioning)
            .WithSetting(SagaRoles.ConfigurationKey, SagaRoles.Provisioning);

    /// <summary>
    /// Every saga role: by default a process of its own, each its own resource and consumer group, scaled by
    /// <c>Scale:{role}</c>. With <see cref="CombineWorkersKey"/> one process plays them all, each role still in
    /// its own consumer group with its own handlers and claims.
    /// </summary>
    public static void AddSagaWorkers(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> provisioning, SagaInfrastructure infrastructure)
    {
        if (builder.Configuration.GetValue<bool>(CombineWorkersKey))
        {
            builder.AddWorkerProcess(SagaRoles.CombinedWorkers, SagaRoles.Consumers, replicas: 1, provisioning, infrastructure);
            return;
        }

        foreach (var role in SagaRoles.Consumers)
        {
            builder.AddWorkerProcess(role, [role], builder.Configuration.GetValue($"Scale:{role}", 1), provisioning, infrastructure);
        }
    }

    private static void AddWorkerProcess(
        this IDistributedApplicationBuilder builder,
        string name,
        IReadOnlyList<string> roles,
        int replicas,
        IResourceBuilder<ProjectResource> provisioning,
        SagaInfrastructure infrastructure)
    {
        var worker = builder.AddProject<Projects.OrderSaga_Workers>(name)
            .WithSetting(SagaRoles.ConfigurationKey, SagaRoles.ToSetting(roles))
            .WithReplicas(replicas)
            .WithHttpEndpoint()
            .WithHttpHealthCheck(ServiceEndpoints.Health)
            .WaitForCompletion(provisioning)
            .WithSettingsOf(builder.Configuration, roles)
            .WithMetricExportInterval(builder.Configuration)
            .Uses(infrastructure.Database)
            .Uses(infrastructure.Kafka);
        if (roles.Any(UseRedis.Contains))
        {
            worker.Uses(infrastructure.Redis);
        }
    }

    /// <summary>Hands the service the dependency's connection string and holds its start until the dependency is healthy.</summary>
    public static IResourceBuilder<ProjectResource> Uses(this IResourceBuilder<ProjectResource> service, IResourceBuilder<IResourceWithConnectionString> dependency) =>
        service.WithReference(dependency).WaitFor(dependency);
}
