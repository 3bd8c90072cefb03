using System.Diagnostics;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.DevServers.Kafka;
using OrderSaga.DevServers.Postgres;
using OrderSaga.DevServers.Redis;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// The dev servers started on their own, outside any AppHost, standing in for a Kafka cluster and managed PostgreSQL
/// and Redis: what the external mode is pointed at. Disposing them stops the processes and removes PostgreSQL's data.
/// </summary>
public sealed class StandInServers : IDisposable
{
    private readonly List<Process> _servers = [];
    private readonly List<string[]> _arguments = [];
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "ordersaga-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The connection strings of the three servers, by the resource names the services read them under.</summary>
    public Dictionary<string, string> ConnectionStrings { get; } = [];

    /// <summary>The connection strings as settings of a service started on its own: <c>ConnectionStrings:{name}</c>.</summary>
    public Dictionary<string, string> ServiceSettings() => SettingsOf(ConnectionStrings);

    /// <summary><paramref name="connectionStrings"/> as settings of a service started on its own: <c>ConnectionStrings:{name}</c>.</summary>
    public static Dictionary<string, string> SettingsOf(IReadOnlyDictionary<string, string> connectionStrings) =>
        connectionStrings.ToDictionary(server => $"ConnectionStrings:{server.Key}", server => server.Value);

    /// <summary>Starts the servers; the broker holds the saga's topics unprefixed and under each of <paramref name="topicPrefixes"/>.</summary>
    public static StandInServers Start(int partitions, params string[] topicPrefixes)
    {
        var servers = new StandInServers();
        var password = Guid.NewGuid().ToString("N");
        // The stand-in cannot create topics when the provisioning job asks; it creates them as it starts.
        var kafka = servers.Start(ResourceNames.Kafka, KafkaMockOptions.Section, ((string?[])[null, .. topicPrefixes])
            .Select(SagaTopics.WithPrefix)
            .SelectMany(topics => new[] { (topics.OrderEvents, partitions), (topics.DeadLetters, 1) })
            .ToDictionary(topic => $"{KafkaMockOptions.Section}:{nameof(KafkaMockOptions.Topics)}:{topic.Item1}", topic => topic.Item2.ToString()));
        var postgres = servers.Start(ResourceNames.Postgres, PostgresOptions.Section, new()
        {
            [$"{PostgresOptions.Section}:{nameof(PostgresOptions.Password)}"] = password,
            [$"{PostgresOptions.Section}:{nameof(PostgresOptions.DataDirectory)}"] = servers._dataDirectory,
            [$"{PostgresOptions.Section}:{nameof(PostgresOptions.Database)}"] = ResourceNames.Database,
        });
        var redis = servers.Start(ResourceNames.Redis, GarnetOptions.Section, []);
        servers.ConnectionStrings[ResourceNames.Kafka] = $"localhost:{kafka}";
        servers.ConnectionStrings[ResourceNames.Database] = $"Host=localhost;Port={postgres};Username=postgres;Password={password};Database={ResourceNames.Database}";
        servers.ConnectionStrings[ResourceNames.Redis] = $"localhost:{redis}";
        return servers;
    }

    /// <summary>Waits until PostgreSQL takes connections (its dev server needs a moment to start it), as a managed one would.</summary>
    public async Task WaitUntilPostgresAnswersAsync(CancellationToken cancellationToken)
    {
        var server = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionStrings[ResourceNames.Database]) { Database = "postgres", Pooling = false };
        while (true)
        {
            try
            {
                await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (Npgsql.NpgsqlException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Takes the broker down (its connections closed, new ones refused) or brings it back with everything it held, as
    /// the Kafka dev server does on SIGUSR1 and SIGUSR2.
    /// </summary>
    public Task SetBrokerDownAsync(bool down) => LocalProcesses.SignalAsync(down ? "USR1" : "USR2", _servers[0].Id);

    /// <summary>
    /// Stops the broker's dev server (SIGKILL) and, after <paramref name="downtime"/>, starts it again on the same port
    /// and settings: a broker restarted on its own address, back without the messages, groups and offsets it held.
    /// </summary>
    public async Task RestartBrokerAsync(TimeSpan downtime)
    {
        var broker = _servers[0];
        broker.Kill(entireProcessTree: true);
        await broker.WaitForExitAsync();
        broker.Dispose();
        await Task.Delay(downtime);
        _servers[0] = Launch(_arguments[0]);
    }

    /// <summary>Starts one dev server on a free port; the caller's probes (the AppHost's) wait until it answers.</summary>
    private int Start(string server, string section, Dictionary<string, string> settings)
    {
        var port = LocalPorts.Free();
        string[] arguments = [server, $"--{section}:Port={port}", .. settings.Select(setting => $"--{setting.Key}={setting.Value}")];
        _servers.Add(Launch(arguments));
        _arguments.Add(arguments);
        return port;
    }

    private static Process Launch(string[] arguments)
    {
        var executable = BuiltProject.Locate(new Projects.OrderSaga_DevServers());
        var start = new ProcessStartInfo(executable.DotnetHost)
        {
            WorkingDirectory = executable.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[executable.Assembly, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"The {arguments[0]} dev server did not start.");
        // Read and dropped, so a full pipe never stalls the server; the AppHost's probes say whether it works.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit(TimeSpan.FromSeconds(30));
            server.Dispose();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in the temp folder are harmless; the next run uses a new folder.
        }
    }
}
