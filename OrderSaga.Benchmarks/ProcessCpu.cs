using System.Globalization;
using OrderSaga.Topology;

namespace OrderSaga.Benchmarks;

/// <summary>
/// CPU seconds (user + system, children reaped included) spent so far by each part of the application on this
/// machine, read from <c>/proc</c>: every service, PostgreSQL's processes together, the dev servers' hosts, the
/// dashboard, DCP, and this process (the load generator, with the AppHost when the benchmark started it).
/// </summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    /// <summary>This process: the load generator, and the AppHost when the benchmark started the application.</summary>
    public const string Benchmark = "benchmark";

    public static Dictionary<string, double> Take()
    {
        var seconds = new Dictionary<string, double>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var processId) || Part(processId) is not { } part || Ticks(processId) is not { } ticks)
            {
                continue;
            }

            seconds[part] = seconds.GetValueOrDefault(part) + ticks / TicksPerSecond;
        }

        return seconds;
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

    private static long? Ticks(int processId)
    {
        // Fields after "(comm)": state, ppid, …; utime, stime, cutime and cstime are the 14th to 17th of the line.
        var stat = Read($"/proc/{processId}/stat");
        if (stat is null)
        {
            return null;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields[11..15].Sum(field => long.Parse(field, CultureInfo.InvariantCulture));
    }

    private static string? Read(string path)
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
