using System.Diagnostics;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>Signals for the processes the AppHost runs on this machine: a crash, a freeze, a thaw.</summary>
public static class LocalProcesses
{
    public static async Task SignalAsync(string signal, int processId)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString()]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>
    /// The process that runs a service's code. Aspire starts a project through <c>dotnet run</c>, whose child is the
    /// service itself: killing only the launcher would leave the service running, orphaned.
    /// </summary>
    public static int ServiceProcess(int launcherId) =>
        ChildrenOf(launcherId).FirstOrDefault(child => CommandLine(child).Contains("OrderSaga.", StringComparison.Ordinal)) is var child and > 0
            ? child
            : launcherId;

    private static IEnumerable<int> ChildrenOf(int parentId) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!))
            .Where(id => ParentOf(id) == parentId);

    private static int ParentOf(int processId)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its closing parenthesis.
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static string CommandLine(int processId)
    {
        try
        {
            return File.ReadAllText($"/proc/{processId}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
