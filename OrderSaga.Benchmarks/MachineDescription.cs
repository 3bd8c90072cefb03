using System.Runtime.InteropServices;

namespace OrderSaga.Benchmarks;

public static class MachineDescription
{
    /// <summary>CPU model, cores, memory and OS: what a reader needs to compare a result with their own.</summary>
    public static string Current()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores, {memoryGiB:F0} GiB, {RuntimeInformation.OSDescription}";
    }
}
