using System.Diagnostics;
using Npgsql;
using OrderSaga.Topology;

namespace OrderSaga.DevServers.Postgres;

/// <summary>
/// Runs the machine's PostgreSQL as a child process: initialises the data folder on first start, keeps it
/// across restarts, applies the current password and makes sure the application database exists.
/// </summary>
public sealed class PostgresServer(IOptions<PostgresOptions> options, IHostApplicationLifetime lifetime, ILogger<PostgresServer> logger)
    : IHostedService
{
    private const string SuperUser = "postgres";
    private Process? _postgres;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var binaries = PostgresBinaries.Locate(settings.BinDirectory);
        var processes = new ServerProcess(settings.ServiceAccount, logger);
        var dataDirectory = Path.GetFullPath(settings.DataDirectory);

        var created = await InitializeClusterAsync(binaries, processes, dataDirectory, cancellationToken);
        await StopLeftoverServerAsync(binaries, processes, dataDirectory, cancellationToken);
        await PrepareAsync(binaries, processes, dataDirectory, settings, created, cancellationToken);

        _postgres = processes.Start(binaries.Postgres,
        [
            "-D", dataDirectory,
            "-p", settings.Port.ToString(),
            "-k", dataDirectory,
            "-c", "listen_addresses=127.0.0.1",
            "-c", "max_connections=300",
            .. PostgresServerSettings.Arguments,
        ]);
        _postgres.EnableRaisingEvents = true;
        _postgres.Exited += (_, _) => lifetime.StopApplication();

        await ConfigureAsync(settings, dataDirectory, cancellationToken);
        logger.LogInformation("PostgreSQL is ready on 127.0.0.1:{Port}, data in {DataDirectory}", settings.Port, dataDirectory);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_postgres is null)
        {
            return;
        }

        ServerProcess.Interrupt(_postgres);
        await _postgres.WaitForExitAsync(cancellationToken);
        _postgres.Dispose();
    }

    /// <summary>Creates the cluster on first start; true when it did.</summary>
    private async Task<bool> InitializeClusterAsync(PostgresBinaries binaries, ServerProcess processes, string dataDirectory, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            return false;
        }

        logger.LogInformation("Initialising a new PostgreSQL cluster in {DataDirectory}", dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        await processes.GrantOwnershipAsync(dataDirectory, cancellationToken);
        // Local socket connections are trusted so this host can set the password; TCP clients need it.
        await processes.RunToCompletionAsync(binaries.InitDb,
            ["-D", dataDirectory, "-U", SuperUser, "-E", "UTF8", "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256"],
            cancellationToken);
        return true;
    }

    private async Task StopLeftoverServerAsync(PostgresBinaries binaries, ServerProcess processes, string dataDirectory, CancellationToken cancellationToken)
    {
        // A server orphaned by a killed host still holds the data folder; stop it before starting ours.
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return;
        }

        using var pgCtl = processes.Start(binaries.PgCtl, "stop", "-D", dataDirectory, "-m", "fast");
        await pgCtl.WaitForExitAsync(cancellationToken);
    }

    /// <summary>
    /// Applies the current password, and on a new cluster creates the database, in single-user mode: before the
    /// server listens on TCP, so no client meets a stale password (a new cluster has none) or a missing database.
    /// </summary>
    private static Task PrepareAsync(PostgresBinaries binaries, ServerProcess processes, string dataDirectory, PostgresOptions settings, bool newCluster, CancellationToken cancellationToken)
    {
        var statements = $"ALTER ROLE {SuperUser} PASSWORD '{settings.Password.Replace("'", "''")}'\n";
        if (newCluster)
        {
            statements += $"CREATE DATABASE \"{settings.Database.Replace("\"", "\"\"")}\"\n";
        }

        return processes.RunWithInputAsync(binaries.Postgres, ["--single", "-D", dataDirectory, "postgres"], statements, cancellationToken);
    }

    private async Task ConfigureAsync(PostgresOptions settings, string dataDirectory, CancellationToken cancellationToken)
    {
        var socketConnection = new NpgsqlConnectionStringBuilder
        {
            Host = dataDirectory,
            Port = settings.Port,
            Username = SuperUser,
            Database = "postgres",
            Pooling = false,
        }.ConnectionString;

        await WaitUntilAcceptingConnectionsAsync(dataDirectory, cancellationToken);
        await using var connection = new NpgsqlConnection(socketConnection);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", settings.Database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{settings.Database.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Created database {Database}", settings.Database);
        }
    }

    private async Task WaitUntilAcceptingConnectionsAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await PostmasterStatus.IsReadyAsync(dataDirectory, cancellationToken))
        {
            if (_postgres!.HasExited)
            {
                throw new InvalidOperationException($"postgres exited with code {_postgres.ExitCode} during start-up; see the log above.");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("PostgreSQL did not report ready within 60 s; see the log above.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
