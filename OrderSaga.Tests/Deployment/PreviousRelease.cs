using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Deployment;

/// <summary>
/// The release before this build (<see cref="ShippedRelease.Previous"/>), built from the
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
        var commit = ShippedRelease.Previous.Commit;
        var folder = Path.Combine(Path.GetTempPath(), "ordersaga-releases", commit);
        var previous = new PreviousRelease(ShippedRelease.Previous.Version, commit, folder);
        if (!File.Exists(Path.Combine(folder, ".built")))
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.CreateDirectory(folder);
            await CommandRun.SucceedAsync("bash", ["-c", $"git -C '{Repository.Root}' archive {commit} | tar -x -C '{folder}'"], cancellationToken: cancellationToken);
            foreach (var project in Projects)
            {
                await CommandRun.SucceedAsync("dotnet", ["build", Path.Combine(folder, project), "-c", "Release", "-nologo", "-v", "q"], cancellationToken: cancellationToken);
            }

            await File.WriteAllTextAsync(Path.Combine(folder, ".built"), commit, cancellationToken);
        }

        return previous;
    }

    /// <summary>One of the release's built services, to start with <see cref="StandAloneProcess.Start(BuiltProject, IReadOnlyDictionary{string, string})"/>.</summary>
    public BuiltProject Service(string project) =>
        BuiltProject.Locate(new Projects.OrderSaga_Workers()) with { Assembly = Path.Combine(Folder, project, "bin", "Release", "net10.0", $"{project}.dll") };
}
