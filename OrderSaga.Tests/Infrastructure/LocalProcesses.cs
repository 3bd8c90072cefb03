using System.Diagnostics;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>The processes the AppHost runs on this machine: signals for a crash, a freeze, a thaw, and the ports they listen on.</summary>
public static class LocalProcesses
{
    public static async Task SignalAsync(string signal, int processId)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString()]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>
    /// The process that runs a resource's own code: the process Aspire reports when it runs our code directly (the
    /// dev servers), else its child. Aspire starts a project through <c>dotnet run</c>, whose child is the service
    /// itself: signalling only the launcher would leave the service running, orphaned, and the fault would be a pause.
    /// </summary>
    public static int ServiceProcess(int processId) =>
        TryServiceProcess(processId)
        ?? throw new InvalidOperationException($"Neither process {processId} ({CommandLine(processId)}) nor a child of it runs OrderSaga code");

    /// <inheritdoc cref="ServiceProcess"/>
    /// <returns>Null when neither runs our code (the process is gone, or still starting).</returns>
    public static int? TryServiceProcess(int processId) =>
        ((int[])[processId, .. ChildrenOf(processId)]).FirstOrDefault(RunsOurCode) is var service and > 0 ? service : null;

    /// <summary>Waits until the process is gone (or a zombie, which runs nothing) and fails the test if it outlives <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilGoneAsync(int processId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (State(processId) is not (null or 'Z'))
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {processId} ({CommandLine(processId)}) still runs {timeout.TotalSeconds} s after it was signalled");
            await Task.Delay(100);
        }
    }

    /// <summary>The TCP ports the process listens on, read from <c>/proc</c> (its socket descriptors matched to the kernel's tables).</summary>
    public static IReadOnlyList<int> ListeningPorts(int processId)
    {
        try
        {
            var sockets = Directory.EnumerateFileSystemEntries($"/proc/{processId}/fd")
                .Select(descriptor => new FileInfo(descriptor).LinkTarget)
                .Where(target => target?.StartsWith("socket:[", StringComparison.Ordinal) == true)
                .Select(target => target![8..^1])
                .ToHashSet();
            // Columns: sl local_address rem_address st …, inode tenth; state 0A is LISTEN; the port is hex after the colon.
            return [.. new[] { "tcp", "tcp6" }
                .SelectMany(table => File.ReadLines($"/proc/{processId}/net/{table}").Skip(1))
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(columns => columns[3] == "0A" && sockets.Contains(columns[9]))
                .Select(columns => Convert.ToInt32(columns[1].Split(':')[1], 16))
                .Distinct()];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>An apphost named after one of our assemblies, or the dotnet host running one of our assemblies; not <c>dotnet run</c>.</summary>
    private static bool RunsOurCode(int processId)
    {
        var arguments = CommandLine(processId).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFileName).ToArray();
        return arguments switch
        {
            [var program, ..] when program!.StartsWith("OrderSaga.", StringComparison.Ordinal) => true,
            ["dotnet", var assembly, ..] => assembly!.StartsWith("OrderSaga.", StringComparison.Ordinal) && assembly.EndsWith(".dll", StringComparison.Ordinal),
            _ => false,
        };
    }

    private static char? State(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            return stat[stat.LastIndexOf(')') + 2];
        }
        catch (IOException)
        {
            return null;
        }
    }

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
