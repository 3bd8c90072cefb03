using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderSaga.AppHost;
using OrderSaga.Testing;
using OrderSaga.Topology;

namespace OrderSaga.Benchmarks;

/// <summary>The application being measured: its API, its operator console, its database, and whether this run started it.</summary>
public sealed class SagaUnderTest(HttpClient api, HttpClient? console, string databaseConnectionString, string description, SagaAppRun? started)
    : IAsyncDisposable
{
    private const string DashboardResource = "aspire-dashboard";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    public HttpClient Api { get; } = api;

    /// <summary>The operator console; null when a running application was attached without it.</summary>
    public HttpClient? Console { get; } = console;
    public NpgsqlDataSource Database { get; } = NpgsqlDataSource.Create(databaseConnectionString);

    public string DatabaseConnectionString { get; } = databaseConnectionString;
    public string Description { get; } = description;

    /// <summary>What the local broker has been asked; null for an application the benchmark attached to.</summary>
    public BrokerRequests? Broker { get; private init; }

    /// <summary>Orders' traces in the dashboard; null for an application the benchmark attached to.</summary>
    public OrderTraces? Traces { get; private init; }

    /// <summary>
    /// Starts the application as <c>dotnet run --project OrderSaga.AppHost</c> would, dashboard included, in local
    /// mode on a fresh data folder, in this build's configuration (Release with <c>dotnet run -c Release</c>).
    /// </summary>
    public static async Task<SagaUnderTest> StartAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        IEnumerable<string> workers = settings.CombinedWorkers ? [SagaRoles.CombinedWorkers] : SagaRoles.Consumers;
        var dashboardApiKey = Guid.NewGuid().ToString("N");
        var started = await SagaAppRun.StartLocalAsync(
            [
                $"Telemetry:TraceSampleRatio={settings.TraceSampleRatio}",
                $"{SagaServiceExtensions.CombineWorkersKey}={settings.CombinedWorkers}",
                $"{OrderTraces.ApiKeySetting}={dashboardApiKey}",
                .. settings.AppHostSettings,
            ],
            [.. workers, ResourceNames.Api, ResourceNames.Operator],
            StartTimeout,
            cancellationToken,
            builder =>
            {
                // The AppHost's own notices would bury the progress lines.
                builder.Services.AddLogging(logging => logging.AddFilter("OrderSaga.AppHost", LogLevel.Error));
                var broker = builder.Resources.OfType<IResourceWithEnvironment>().Single(resource => resource.Name == ResourceNames.Kafka);
                builder.CreateResourceBuilder(broker).WithEnvironment(BrokerRequests.DebugLogSetting, "Debug");
            },
            withDashboard: true);
        var app = started.App;

        var database = await app.GetConnectionStringAsync(ResourceNames.Database, cancellationToken)
            ?? throw new InvalidOperationException("The database has no connection string.");
        var api = Client(app.GetEndpoint(ResourceNames.Api, "http"));
        var build = typeof(SagaUnderTest).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "?";
        return new SagaUnderTest(api, Client(app.GetEndpoint(ResourceNames.Operator, "http")), database,
            $"started by the benchmark: local mode, {build} build, dashboard running, trace sample ratio {settings.TraceSampleRatio}, " +
            $"{(settings.CombinedWorkers ? "every saga role in one process" : "a process per saga role")}, " +
            string.Concat(settings.AppHostSettings.Select(setting => $"{setting}, ")) +
            $"api called at {api.BaseAddress}, its endpoint as users call it",
            started)
        {
            Broker = new BrokerRequests(app),
            Traces = new OrderTraces(app.GetEndpoint(DashboardResource, "http"), dashboardApiKey),
        };
    }

    public static SagaUnderTest Attach(BenchmarkSettings settings)
    {
        return new SagaUnderTest(Client(settings.ApiUrl!), settings.OperatorUrl is { } console ? Client(console) : null, settings.Database!,
            $"attached to {settings.ApiUrl}", null);
    }

    // Enough connections for the open-loop rates, few enough that an overloaded API queues requests here, where
    // their waiting still counts, rather than opening thousands of sockets.
    private static HttpClient Client(Uri api) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
    {
        BaseAddress = api,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Console?.Dispose();
        Traces?.Dispose();
        await Database.DisposeAsync();
        if (started is not null)
        {
            await started.DisposeAsync();
        }
    }
}
