using OrderSaga.Topology;

namespace OrderSaga.AppHost.Infrastructure;

/// <summary>Chooses the infrastructure mode: named in configuration, else containers when a runtime answers.</summary>
public static class InfrastructureModeSelector
{
    public const string ConfigurationKey = "Infrastructure:Mode";

    public static InfrastructureChoice Select(string? configuredMode, Func<ContainerRuntimeStatus> probe)
    {
        switch (configuredMode?.Trim().ToLowerInvariant())
        {
            case "containers":
                return new(InfrastructureMode.Containers, $"forced by {ConfigurationKey}=containers");
            case "local":
                return new(InfrastructureMode.Local, $"forced by {ConfigurationKey}=local");
            case "external":
                return new(InfrastructureMode.External, $"forced by {ConfigurationKey}=external: the servers of ConnectionStrings:{ResourceNames.Kafka}, :{ResourceNames.Database} and :{ResourceNames.Redis}");
            case null or "" or "auto":
                var runtime = probe();
                return runtime.IsAvailable
                    ? new(InfrastructureMode.Containers, runtime.Description)
                    : new(InfrastructureMode.Local, runtime.Description);
            default:
                throw new ArgumentException(
                    $"{ConfigurationKey} is '{configuredMode}'; use 'auto' (the default), 'containers', 'local' or 'external'.", nameof(configuredMode));
        }
    }
}
