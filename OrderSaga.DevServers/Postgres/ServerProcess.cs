using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OrderSaga.DevServers.Postgres;

/// <summary>Starts server programs, dropping root privileges when needed, and forwards their output to our log.</summary>
public sealed partial class ServerProcess(string serviceAccount, ILogger logger)
{
    private const int SigInt = 2;

    public bool RunsAsRoot { get; } = OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;

    public Process Start(string program, params string[] arguments) => Start(program, arguments, redirectInput: false);

    /// <summary>Runs a program to its end with <paramref name="input"/> as its standard input.</summary>
    public async Task RunWithInputAsync(string program, string[] arguments, string input, CancellationToken cancellationToken)
    {
        using var process = Start(program, arguments, redirectInput: true);
        await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
        process.StandardInput.Close();
        await WaitForSuccessAsync(process, program, cancellationToken);
    }

    private Process Start(string program, string[] arguments, bool redirectInput)
    {
        var startInfo = RunsAsRoot
            ? new ProcessStartInfo("setpriv", ["--reuid", serviceAccount, "--regid", serviceAccount, "--init-groups", "--", program, .. arguments])
            : new ProcessStartInfo(program, arguments);
        startInfo.RedirectStandardInput = redirectInput;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {program}");
        // Postgres logs everything to stderr; forwarded as information so the dashboard does not paint it red.
        process.OutputDataReceived += (_, line) => Forward(line.Data);
        process.ErrorDataReceived += (_, line) => Forward(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public async Task RunToCompletionAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Start(program, arguments);
        await WaitForSuccessAsync(process, program, cancellationToken);
    }

    private static async Task WaitForSuccessAsync(Process process, string program, CancellationToken cancellationToken)
    {
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited with code {process.ExitCode}; see the log above.");
        }
    }

    /// <summary>Gives the directory to the service account so the server can write there.</summary>
    public async Task GrantOwnershipAsync(string directory, CancellationToken cancellationToken)
    {
        if (RunsAsRoot)
        {
            using var chown = Process.Start("chown", ["-R", $"{serviceAccount}:{serviceAccount}", directory]);
            await chown.WaitForExitAsync(cancellationToken);
        }
    }

    /// <summary>SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every pooled client to leave.</summary>
    public static void Interrupt(Process process)
    {
        if (!process.HasExited)
        {
            _ = Kill(process.Id, SigInt);
        }
    }

    private void Forward(string? line)
    {
        if (line is not null)
        {
            logger.LogInformation("{PostgresLog}", line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
