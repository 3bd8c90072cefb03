using System.Diagnostics;
using System.Text.Json.Nodes;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Deployment;

/// <summary>
/// The release before this build, as <c>contracts/releases/&lt;newest&gt;/release.json</c> names it, built from the
/// repository's own history into a folder of its own (kept between runs: a commit never changes).
/// </summary>
public sealed class PreviousRelease
{
    private static readonly string[] Projects = ["OrderSaga.Api", "OrderSaga.Workers"];

    private PreviousRelease(string version, string commit, string folder) => (Version, Commit, Folder) = (version, commit, folder);

    public string Version { get; }
    public string Commit { get; }
    private string Folder { get; }

    public static async Task<PreviousRelease> BuildAsync(CancellationToken cancellationToken)
    {
        var release = Directory.GetFiles(Path.Combine(Repository.Root, "contracts", "releases"), "release.json", SearchOption.AllDirectories)
            .Select(file => JsonNode.Parse(File.ReadAllText(file))!)
            .MaxBy(release => System.Version.Parse((string)release["version"]!))!;
        var commit = (string)release["commit"]!;
        var folder = Path.Combine(Path.GetTempPath(), "ordersaga-releases", commit);
        var previous = new PreviousRelease((string)release["version"]!, commit, folder);
        if (!File.Exists(Path.Combine(folder, ".built")))
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.CreateDirectory(folder);
            await RunAsync("bash", ["-c", $"git -C '{Repository.Root}' archive {commit} | tar -x -C '{folder}'"], cancellationToken);
            foreach (var project in Projects)
            {
                await RunAsync("dotnet", ["build", Path.Combine(folder, project), "-c", "Release", "-nologo", "-v", "q"], cancellationToken);
            }

            await File.WriteAllTextAsync(Path.Combine(folder, ".built"), commit, cancellationToken);
        }

        return previous;
    }

    /// <summary>One of the release's built services, to start with <see cref="StandAloneProcess.Start(BuiltProject, IReadOnlyDictionary{string, string})"/>.</summary>
    public BuiltProject Service(string project) =>
        BuiltProject.Locate(new Projects.OrderSaga_Workers()) with { Assembly = Path.Combine(Folder, project, "bin", "Release", "net10.0", $"{project}.dll") };

    private static async Task RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed:\n{await output}{await error}");
    }
}
