using System.Diagnostics;
using Aspire.Hosting;
using Npgsql;
using OrderSaga.Workers.Provisioning;
using OrderSaga.Testing;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Deployment;

/// <summary>
/// The application as a deployment beyond one machine runs it: servers it did not start (the dev servers, started on
/// their own, stand in for a Kafka cluster and managed PostgreSQL and Redis), provisioned by two runs of the
/// provisioning job at once (two deploys overlapping), then the AppHost in external mode with two replicas of the api
/// and of every saga role.
/// </summary>
public sealed class ExternalDeployment : IAsyncLifetime
{
    public const int Partitions = 6;
    public const int Replicas = 2;

    /// <summary>Low enough that a test can run into it, high enough for a stream spread over <see cref="Crowd"/>.</summary>
    public const int OrderBurstLimit = 100;
    public const int OrdersPerSecondLimit = 10;

    /// <summary>Customers the payment service always approves here.</summary>
    public static readonly string[] Crowd = [.. Enumerable.Range(1, 4).Select(i => $"it-external-{i}")];
    public const string DeclinedUser = "it-external-declined";

    /// <summary>A second environment's topic prefix: its topics are on the stand-in broker too.</summary>
    public const string SecondEnvironmentTopicPrefix = "staging.";

    /// <summary>What the start-up gate logs while it waits, and once it lets the service start.</summary>
    public const string WaitingForLine = "Waiting for schema";
    public const string StartedLine = "Dependencies answered";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private StandInServers _servers = null!;
    private SagaAppRun _started = null!;

    public TestTokens Tokens { get; } = TestTokens.ForApi();

    public DistributedApplication App => _started.App;

    public StandInServers Servers => _servers;

    /// <summary>
    /// The services' connection strings: the database as <see cref="RuntimeRole"/>, which the provisioning runs grant
    /// rows and no schema changes. The servers' own (<see cref="Servers"/>) log in as the superuser the job uses.
    /// </summary>
    public IReadOnlyDictionary<string, string> ConnectionStrings { get; private set; } = new Dictionary<string, string>();

    /// <summary><see cref="ConnectionStrings"/> as settings of a service started on its own.</summary>
    public Dictionary<string, string> ServiceSettings() => StandInServers.SettingsOf(ConnectionStrings);

    /// <summary>The services' own database role, created as a platform team would, granted by the provisioning job.</summary>
    public const string RuntimeRole = "ordersaga_runtime";

    /// <summary>What every provisioning run of these servers is told: the role the services log in as.</summary>
    public static readonly IReadOnlyDictionary<string, string> ProvisioningSettings = new Dictionary<string, string>
    {
        [RuntimeRoleGrants.RoleKey] = RuntimeRole,
    };

    /// <summary>The two provisioning runs that went at once, before anything else touched the servers.</summary>
    public IReadOnlyList<ProvisioningJobResult> ConcurrentProvisioning { get; private set; } = [];

    /// <summary>How many provisioning runs waited at the provisioning lock at the same time, while it was held for them.</summary>
    public long ProvisioningRunsWaitingTogether { get; private set; }

    public async Task InitializeAsync()
    {
        await Tokens.ForAdminAsync(SagaAppFixture.AdminUser);
        _servers = StandInServers.Start(Partitions, SecondEnvironmentTopicPrefix);
        await _servers.WaitUntilPostgresAnswersAsync(CancellationToken.None);
        ConnectionStrings = new Dictionary<string, string>(_servers.ConnectionStrings)
        {
            [ResourceNames.Database] = await CreateRuntimeRoleAsync(),
        };
        await ProvisionWhileAServiceWaitsAsync();
        _started = await SagaAppRun.StartExternalAsync(
            ConnectionStrings,
            [
                .. Crowd.Select((user, i) => $"Payment:AlwaysApproveUsers:{i}={user}"),
                $"Payment:AlwaysDeclineUsers:0={DeclinedUser}",
                $"Scale:{ResourceNames.Api}={Replicas}",
                .. SagaRoles.Consumers.Select(role => $"Scale:{role}={Replicas}"),
                $"RateLimiting:Orders:Burst={OrderBurstLimit}",
                $"RateLimiting:Orders:PerSecond={OrdersPerSecondLimit}",
                // Two cores running fifteen processes (more while replicas restart) have let Redis take over the
                // default 500 ms; the replicas would then count alone, which RateLimitTests covers. Here: sharing.
                "RateLimiting:Orders:SharedTimeout=00:00:05",
                // Out of reach: at-least-once delivery alone must bring every order home through the restarts.
                "StuckOrders:After=01:00:00",
            ],
            [ResourceNames.Api, .. SagaRoles.Consumers],
            StartTimeout,
            CancellationToken.None);
    }

    /// <summary>What a delivery worker started before any provisioning wrote until the job ran, and then until it was stopped.</summary>
    public (string BeforeProvisioning, string AfterProvisioning) EarlyWorkerOutput { get; private set; }

    /// <summary>
    /// A delivery worker is started on the bare servers first, as a pod can be scheduled before the Job has run; once
    /// it says what it waits for, two provisioning runs go at once; then the worker is stopped again.
    /// </summary>
    private async Task ProvisionWhileAServiceWaitsAsync()
    {
        // The database answers, without a schema: what the worker waits for is provisioning, not the server.
        using var early = StandAloneProcess.Start(new Projects.OrderSaga_Workers(), new Dictionary<string, string>(ServiceSettings())
        {
            [SagaRoles.ConfigurationKey] = SagaRoles.Delivery,
            ["HealthChecks:StartupTimeout"] = "00:00:01",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        });
        await early.WaitForOutputAsync(WaitingForLine, TimeSpan.FromSeconds(90), CancellationToken.None);
        var before = early.Output;
        // The runs are made to meet: the lock is held here until both wait for it, then let go, so one of them
        // takes it while the other goes on waiting.
        await using var holder = new NpgsqlConnection(_servers.ConnectionStrings[ResourceNames.Database]);
        await holder.OpenAsync();
        await ExecuteAsync(holder, "SELECT pg_advisory_lock(@p0)", ProvisioningLock.Key);
        var runs = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => ProvisioningJobRun.RunAsync(_servers, Partitions, CancellationToken.None, extraSettings: ProvisioningSettings)));
        var waiting = Stopwatch.StartNew();
        while ((ProvisioningRunsWaitingTogether = await ScalarAsync(holder, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) < 2
            && waiting.Elapsed < TimeSpan.FromSeconds(60) && !runs.IsCompleted)
        {
            await Task.Delay(100);
        }

        await ExecuteAsync(holder, "SELECT pg_advisory_unlock(@p0)", ProvisioningLock.Key);
        ConcurrentProvisioning = await runs;
        await early.WaitForOutputAsync(StartedLine, TimeSpan.FromSeconds(60), CancellationToken.None);
        await early.StopAsync(CancellationToken.None);
        EarlyWorkerOutput = (before, early.Output);
    }

    /// <summary>Creates <see cref="RuntimeRole"/> with a login of its own and returns the services' connection string.</summary>
    private async Task<string> CreateRuntimeRoleAsync()
    {
        var password = Guid.NewGuid().ToString("N");
        await using var admin = new NpgsqlConnection(_servers.ConnectionStrings[ResourceNames.Database]);
        await admin.OpenAsync();
        await new NpgsqlCommand($"CREATE ROLE {RuntimeRole} LOGIN PASSWORD '{password}'", admin).ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(_servers.ConnectionStrings[ResourceNames.Database]) { Username = RuntimeRole, Password = password }.ConnectionString;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, long key)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p0", key);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task DisposeAsync()
    {
        if (_started is not null)
        {
            await _started.DisposeAsync();
        }

        _servers?.Dispose();
    }
}
