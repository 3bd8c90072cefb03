using System.ComponentModel;
using System.Diagnostics;

namespace OrderSaga.AppHost.Infrastructure;

/// <summary>What a probe of the container runtimes found.</summary>
public sealed record ContainerRuntimeStatus(bool IsAvailable, string Description);

/// <summary>
/// Asks the container runtimes whether they answer, the way Aspire itself does: <c>docker container ls -n 1</c>,
/// then podman, or only the runtime named by ASPIRE_CONTAINER_RUNTIME.
/// </summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

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
                process.Kill(entireProcessTree: true);
                return $"no answer within {Timeout.TotalSeconds:0} s";
            }

            return process.ExitCode == 0 ? null : $"exit code {process.ExitCode}";
        }
        catch (Win32Exception)
        {
            return "not installed";
        }
    }
}
