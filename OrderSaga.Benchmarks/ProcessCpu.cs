using System.Globalization;
namespace OrderSaga.Benchmarks;

/// <summary>
/// CPU seconds (user + system, children reaped included) spent so far by each part of the application on this
/// machine (<see cref="ApplicationProcesses"/>), PostgreSQL's processes together.
/// </summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    public static Dictionary<string, double> Take()
    {
        var seconds = new Dictionary<string, double>();
        foreach (var (processId, part) in ApplicationProcesses.All())
        {
            if (Ticks(processId) is { } ticks)
            {
                seconds[part] = seconds.GetValueOrDefault(part) + ticks / TicksPerSecond;
            }
        }

        return seconds;
    }

    private static long? Ticks(int processId)
    {
        // Fields after "(comm)": state, ppid, …; utime, stime, cutime and cstime are the 14th to 17th of the line.
        var stat = ApplicationProcesses.Read($"/proc/{processId}/stat");
        if (stat is null)
        {
            return null;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields[11..15].Sum(field => long.Parse(field, CultureInfo.InvariantCulture));
    }
}
