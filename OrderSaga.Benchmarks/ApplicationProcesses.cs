using OrderSaga.Topology;

namespace OrderSaga.Benchmarks;

/// <summary>
/// The processes of the application on this machine, read from <c>/proc</c>, by the part each is: every service,
/// PostgreSQL, the dev servers' hosts, the dashboard, DCP, and this process (the load generator, with the AppHost
/// when the benchmark started it).
/// </summary>
public static class ApplicationProcesses
{
    /// <summary>This process: the load generator, and the AppHost when the benchmark started the application.</summary>
    public const string Benchmark = "benchmark";

    public static IEnumerable<(int ProcessId, string Part)> All()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var processId) && Part(processId) is { } part)
            {
                yield return (processId, part);
            }
        }
    }

    /// <summary>Which part of the application a process is; null for the rest of the machine.</summary>
    private static string? Part(int processId)
    {
        if (processId == Environment.ProcessId)
        {
            return Benchmark;
        }

        var arguments = Read($"/proc/{processId}/cmdline")?.Split('\0', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var command = string.Join(' ', arguments);
        return arguments switch
        {
            [] => null,
            [_, "run", ..] when command.Contains("OrderSaga.") => "launchers",
            [var program, ..] when program.StartsWith("postgres", StringComparison.Ordinal) || program.EndsWith("/postgres", StringComparison.Ordinal) => "PostgreSQL",
            _ when command.Contains("OrderSaga.DevServers") => $"{arguments[^1]} host",
            _ when command.Contains("OrderSaga.Api") => "api",
            _ when command.Contains("OrderSaga.Operator") => "operator",
            _ when command.Contains("OrderSaga.Workers") => Role(processId),
            _ when command.Contains("Aspire.Dashboard") => "dashboard",
            [var program, ..] when Path.GetFileName(program) == "dcp" => "DCP",
            _ => null,
        };
    }

    private static readonly string RoleVariable = $"{SagaRoles.ConfigurationKey.Replace(":", "__")}=";

    /// <summary>A worker's role; <see cref="SagaRoles.CombinedWorkers"/> for one that plays several.</summary>
    private static string Role(int processId) =>
        Read($"/proc/{processId}/environ")?.Split('\0').FirstOrDefault(variable => variable.StartsWith(RoleVariable, StringComparison.Ordinal)) is { } role
        && SagaRoles.FromSetting(role[RoleVariable.Length..]) is [var only]
            ? only
            : SagaRoles.CombinedWorkers;

    public static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
