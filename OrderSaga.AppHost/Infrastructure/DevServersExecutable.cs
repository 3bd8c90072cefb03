using System.Reflection;

namespace OrderSaga.AppHost.Infrastructure;

/// <summary>Where the built OrderSaga.DevServers assembly is, and how to run it with the current dotnet host.</summary>
public sealed record DevServersExecutable(string DotnetHost, string Assembly)
{
    public string WorkingDirectory => Path.GetDirectoryName(Assembly)!;

    public static DevServersExecutable Locate()
    {
        var projectFolder = Path.GetDirectoryName(new Projects.OrderSaga_DevServers().ProjectPath)!;
        // The AppHost build builds its project references in the same configuration as itself.
        var configuration = typeof(DevServersExecutable).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var assembly = Path.Combine(projectFolder, "bin", configuration, "net10.0", "OrderSaga.DevServers.dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"OrderSaga.DevServers is not built; run 'dotnet build' on the solution first (looked for {assembly}).", assembly);
        }

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)
            ? hostPath
            : "dotnet";
        return new DevServersExecutable(dotnet, assembly);
    }
}
