using System.Globalization;

namespace OrderSaga.Benchmarks;

/// <summary>
/// The most memory each part of the application has held resident at once since it started (the kernel's
/// <c>VmHWM</c>), in MiB: for a part of several processes, its largest. What a container's memory limit must allow.
/// </summary>
public static class ProcessMemory
{
    public static Dictionary<string, double> PeakMebibytes()
    {
        var peaks = new Dictionary<string, double>();
        foreach (var (processId, part) in ApplicationProcesses.All())
        {
            if (PeakKibibytes(processId) is { } peak)
            {
                peaks[part] = Math.Max(peaks.GetValueOrDefault(part), peak / 1024.0);
            }
        }

        return peaks;
    }

    private static long? PeakKibibytes(int processId) =>
        ApplicationProcesses.Read($"/proc/{processId}/status")?.Split('\n')
            .FirstOrDefault(line => line.StartsWith("VmHWM:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
            : null;
}
