namespace OrderSaga.AppHost.Infrastructure;

/// <summary>Chooses the infrastructure mode: forced by configuration, else containers when a runtime answers.</summary>
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
            case null or "" or "auto":
                var runtime = probe();
                return runtime.IsAvailable
                    ? new(InfrastructureMode.Containers, runtime.Description)
                    : new(InfrastructureMode.Local, runtime.Description);
            default:
                throw new ArgumentException(
                    $"{ConfigurationKey} is '{configuredMode}'; use 'auto' (the default), 'containers' or 'local'.", nameof(configuredMode));
        }
    }
}
