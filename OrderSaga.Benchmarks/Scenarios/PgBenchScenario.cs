using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace OrderSaga.Benchmarks.Scenarios;

/// <summary>
/// PostgreSQL's own <c>pgbench -N</c> against the application's server, in a database of its own: the commit rate of
/// this machine's disk, which saga figures are divided by so that runs on different machines compare.
/// </summary>
public static partial class PgBenchScenario
{
    private const string Database = "ordersaga_pgbench";

    public static async Task RunAsync(SagaUnderTest saga, BenchmarkSettings settings, BenchmarkReport report, CancellationToken cancellationToken)
    {
        var pgbench = Locate();
        var server = new NpgsqlConnectionStringBuilder(saga.DatabaseConnectionString);
        await CreateDatabaseAsync(server, cancellationToken);
        var environment = new Dictionary<string, string>
        {
            ["PGHOST"] = server.Host!,
            ["PGPORT"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["PGUSER"] = server.Username!,
            ["PGPASSWORD"] = server.Password!,
            ["PGDATABASE"] = Database,
        };

        Progress.Report("pgbench: initialising");
        await RunAsync(pgbench, ["-i", "-q", "-s", "1"], environment, cancellationToken);
        foreach (var clients in new[] { 1, 8 })
        {
            Progress.Report($"pgbench -N with {clients} client(s) for {settings.PgBenchDuration.TotalSeconds:F0} s");
            var output = await RunAsync(pgbench,
                ["-N", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                 "-T", settings.PgBenchDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture)],
                environment, cancellationToken);
            var tps = double.Parse(Tps().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            report.PgBench.Add(new PgBenchResult(clients, tps));
            Progress.Done($"  pgbench -N, {clients} client(s): {tps:F0} tps");
        }
    }

    private static string Locate() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin", "pgbench"))
                .Where(File.Exists).OrderByDescending(path => path, StringComparer.Ordinal).FirstOrDefault() ?? "pgbench"
            : "pgbench";

    private static async Task CreateDatabaseAsync(NpgsqlConnectionStringBuilder server, CancellationToken cancellationToken)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{Database}'", connection);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<string> RunAsync(string pgbench, string[] arguments, Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(pgbench) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {pgbench}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{pgbench} {string.Join(' ', arguments)} failed: {await errors}");
        }

        return await output;
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
