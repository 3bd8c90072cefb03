using System.Collections.Concurrent;
using System.Diagnostics;
using Aspire.Hosting;
using OrderSaga.AppHost.Infrastructure;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// A project of the solution run on its own, outside any AppHost, configured by environment variables only: what a
/// container in a Kubernetes pod is. Its console output is kept for the test to read. Disposing it kills it.
/// </summary>
public sealed class StandAloneProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private StandAloneProcess(Process process) => _process = process;

    /// <summary>Starts the built <paramref name="project"/> with these settings (<c>Section:Key</c>, as the services read them).</summary>
    public static StandAloneProcess Start(IProjectMetadata project, IReadOnlyDictionary<string, string> settings) =>
        Start(BuiltProject.Locate(project), settings);

    /// <summary>Starts a built assembly, of this build or another (a previous release's), with these settings.</summary>
    public static StandAloneProcess Start(BuiltProject executable, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo(executable.DotnetHost)
        {
            WorkingDirectory = executable.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(executable.Assembly);
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }

        var started = new StandAloneProcess(Process.Start(start) ?? throw new InvalidOperationException($"{executable.Assembly} did not start."));
        started._process.OutputDataReceived += (_, line) => started.Keep(line.Data);
        started._process.ErrorDataReceived += (_, line) => started.Keep(line.Data);
        started._process.BeginOutputReadLine();
        started._process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Everything it has written so far, a line each.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Waits until it exits by itself, and returns its exit code; kills it when it outlives <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.ArgumentList[0]} still ran after {timeout}:{Environment.NewLine}{Output}");
        }

        // The exit can be seen before the last lines were read.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits until it has written a line containing <paramref name="text"/>; false when it has not within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!Wrote(text))
        {
            if (deadline.Elapsed > timeout || _process.HasExited)
            {
                return Wrote(text);
            }

            await Task.Delay(200, cancellationToken);
        }

        return true;
    }

    /// <summary>Whether it has written a line containing <paramref name="text"/> so far.</summary>
    public bool Wrote(string text) => _output.Any(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>Asks it to shut down (SIGTERM), as Kubernetes does, and waits until it has.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await LocalProcesses.SignalAsync("TERM", _process.Id);
        await WaitForExitAsync(TimeSpan.FromSeconds(45), cancellationToken);
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
    }
}
