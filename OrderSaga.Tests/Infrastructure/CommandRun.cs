using System.Diagnostics;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>A command line run to its end: a tool the tests use (git, dotnet, npm, node), its exit code and all it wrote.</summary>
public static class CommandRun
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, string? directory = null,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (directory is not null)
        {
            start.WorkingDirectory = directory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Runs the command and fails the test, with what it wrote, unless it succeeds; returns its output.</summary>
    public static async Task<string> SucceedAsync(string program, IEnumerable<string> arguments, string? directory = null,
        CancellationToken cancellationToken = default)
    {
        var (exitCode, output) = await RunAsync(program, arguments, directory, cancellationToken);
        Assert.True(exitCode == 0, $"{program} {string.Join(' ', arguments)} failed:\n{output}");
        return output;
    }
}
