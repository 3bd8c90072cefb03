using System.Reflection;

namespace OrderSaga.AppHost.Infrastructure;

/// <summary>Where a project of the solution is built, and how to run it with the current dotnet host.</summary>
public sealed record BuiltProject(string DotnetHost, string Assembly)
{
    public string WorkingDirectory => Path.GetDirectoryName(Assembly)!;

    public static BuiltProject Locate(IProjectMetadata project)
    {
        var projectFolder = Path.GetDirectoryName(project.ProjectPath)!;
        // The AppHost build builds its project references in the same configuration as itself.
        var configuration = typeof(BuiltProject).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var assembly = Path.Combine(projectFolder, "bin", configuration, "net10.0", $"{Path.GetFileNameWithoutExtension(project.ProjectPath)}.dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{Path.GetFileName(project.ProjectPath)} is not built; run 'dotnet build' on the solution first (looked for {assembly}).", assembly);
        }

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)
            ? hostPath
            : "dotnet";
        return new BuiltProject(dotnet, assembly);
    }
}
