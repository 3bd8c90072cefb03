using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace OrderSaga.AppHost.Infrastructure;

/// <summary>What a probe of the container runtimes found.</summary>
public sealed record ContainerRuntimeStatus(bool IsAvailable, string Description);

/// <summary>
/// Asks the container runtimes whether they answer, the way Aspire itself does: <c>docker container ls -n 1</c>,
/// then podman, or only the runtime configured for Aspire.
/// </summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Every setting Aspire takes the container runtime from, first match wins as in Aspire.</summary>
    private static readonly string[] RuntimeSettings = ["DcpPublisher:ContainerRuntime", "ASPIRE_CONTAINER_RUNTIME", "DOTNET_ASPIRE_CONTAINER_RUNTIME"];

    /// <summary>The runtime the user chose for Aspire, or null to try docker and then podman.</summary>
    public static string? ConfiguredRuntime(IConfiguration configuration) =>
        RuntimeSettings.Select(key => configuration[key]).FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));

    public static ContainerRuntimeStatus Probe(string? configuredRuntime)
    {
        string[] runtimes = string.IsNullOrWhiteSpace(configuredRuntime) ? ["docker", "podman"] : [configuredRuntime];
        var failures = new List<string>();
        foreach (var runtime in runtimes)
        {
            var failure = TryRuntime(runtime);
            if (failure is null)
            {
                return new ContainerRuntimeStatus(true, $"'{runtime} container ls' answered");
            }
            failures.Add($"{runtime}: {failure}");
        }

        return new ContainerRuntimeStatus(false, $"no container runtime answered ({string.Join("; ", failures)})");
    }

    private static string? TryRuntime(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["container", "ls", "-n", "1"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            if (!process.WaitForExit(Timeout))
            {
                Kill(process);
                return $"no answer within {Timeout.TotalSeconds:0} s";
            }

            return process.ExitCode == 0 ? null : $"exit code {process.ExitCode}";
        }
        catch (Win32Exception)
        {
            return "not installed";
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill; a late answer is still no answer.
        }
    }
}
