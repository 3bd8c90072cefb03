namespace OrderSaga.DevServers.Postgres;

/// <summary>Locates the PostgreSQL server programs installed on this machine.</summary>
public sealed record PostgresBinaries(string Folder)
{
    public string InitDb => Path.Combine(Folder, "initdb");
    public string Postgres => Path.Combine(Folder, "postgres");
    public string PgCtl => Path.Combine(Folder, "pg_ctl");

    public static PostgresBinaries Locate(string? configuredFolder)
    {
        var candidates = configuredFolder is { Length: > 0 }
            ? [configuredFolder]
            : DebianFolders().Concat(PathFolders());

        foreach (var folder in candidates)
        {
            if (File.Exists(Path.Combine(folder, "postgres")) && File.Exists(Path.Combine(folder, "initdb")))
            {
                return new PostgresBinaries(folder);
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, postgres) were not found. Install them, e.g. " +
            "'sudo apt-get install postgresql' on Debian/Ubuntu or 'brew install postgresql' on macOS, " +
            "or set Infrastructure:Local:PostgresBinDirectory to the folder that holds them. " +
            "With a container runtime, run with --Infrastructure:Mode=containers instead.");
    }

    private static IEnumerable<string> DebianFolders()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.GetDirectories(root)
            .OrderByDescending(folder => int.TryParse(Path.GetFileName(folder), out var major) ? major : 0)
            .Select(folder => Path.Combine(folder, "bin"));
    }

    private static IEnumerable<string> PathFolders() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
}
