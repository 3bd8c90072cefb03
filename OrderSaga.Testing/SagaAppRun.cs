using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderSaga.Testing;

/// <summary>
/// The whole application started through the real AppHost, as the tests and the benchmark run it: in local mode on
/// a fresh data folder, or in external mode against servers started elsewhere. Disposing it stops every resource
/// and removes the data folder.
/// </summary>
public sealed class SagaAppRun : IAsyncDisposable
{
    private readonly string? _dataDirectory;

    private SagaAppRun(DistributedApplication app, string? dataDirectory) => (App, _dataDirectory) = (app, dataDirectory);

    public DistributedApplication App { get; }

    /// <summary>
    /// Starts the application in local mode with the AppHost <paramref name="settings"/> (<c>Key=Value</c>) and waits
    /// until the <paramref name="healthy"/> resources are. The signing key for test tokens must exist before (issue one).
    /// </summary>
    /// <param name="configure">Changes to the app model before it is built, such as a resource's environment.</param>
    /// <param name="withDashboard">Run the Aspire dashboard, as <c>dotnet run</c> does, instead of leaving it out.</param>
    public static Task<SagaAppRun> StartLocalAsync(
        IEnumerable<string> settings,
        IEnumerable<string> healthy,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        Action<IDistributedApplicationTestingBuilder>? configure = null,
        bool withDashboard = false)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ordersaga-tests", Guid.NewGuid().ToString("N"));
        return StartAsync(["Infrastructure:Mode=local", $"Infrastructure:Local:DataDirectory={dataDirectory}", .. settings], dataDirectory,
            healthy, timeout, builder =>
            {
                WithEmptyUserData(builder, UserDataDirectory(dataDirectory));
                configure?.Invoke(builder);
            }, withDashboard, cancellationToken);
    }

    /// <summary>
    /// The folder the services of a local run take for the user's local application data (<c>LOCALAPPDATA</c>, where
    /// ASP.NET Core keeps a data-protection key ring unless told otherwise): empty at the start, as on a new machine.
    /// </summary>
    public string? UserData => _dataDirectory is null ? null : UserDataDirectory(_dataDirectory);

    private static string UserDataDirectory(string dataDirectory) => Path.Combine(dataDirectory, "user-data");

    /// <summary>What a machine that ran the application before keeps in the user's folders cannot reach a test run.</summary>
    private static void WithEmptyUserData(IDistributedApplicationTestingBuilder builder, string userData)
    {
        Directory.CreateDirectory(userData);
        foreach (var service in builder.Resources.OfType<ProjectResource>().ToList())
        {
            builder.CreateResourceBuilder(service).WithEnvironment("LOCALAPPDATA", userData);
        }
    }

    /// <summary>
    /// Starts the application in external mode against the servers these <paramref name="connectionStrings"/> name (by
    /// resource: <c>kafka</c>, <c>ordersaga</c>, <c>redis</c>), as a deployment on servers of its own would.
    /// </summary>
    public static Task<SagaAppRun> StartExternalAsync(
        IReadOnlyDictionary<string, string> connectionStrings,
        IEnumerable<string> settings,
        IEnumerable<string> healthy,
        TimeSpan timeout,
        CancellationToken cancellationToken) =>
        StartAsync(["Infrastructure:Mode=external", .. connectionStrings.Select(server => $"ConnectionStrings:{server.Key}={server.Value}"), .. settings],
            dataDirectory: null, healthy, timeout, configure: null, withDashboard: false, cancellationToken);

    private static async Task<SagaAppRun> StartAsync(
        IEnumerable<string> settings,
        string? dataDirectory,
        IEnumerable<string> healthy,
        TimeSpan timeout,
        Action<IDistributedApplicationTestingBuilder>? configure,
        bool withDashboard,
        CancellationToken cancellationToken)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.OrderSaga_AppHost>(
            [.. settings.Select(setting => $"--{setting}")],
            (options, _) => options.DisableDashboard = !withDashboard,
            cancellationToken);
        // The resources' console output is kept by the app (and shown by the dashboard); here it would bury the caller's.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        OnFreePorts(builder);
        configure?.Invoke(builder);
        var app = await builder.BuildAsync(cancellationToken);
        var started = new SagaAppRun(app, dataDirectory);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await app.StartAsync(deadline.Token);
            await Task.WhenAll(healthy.Select(name => app.ResourceNotifications.WaitForResourceHealthyAsync(name, deadline.Token)));
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A service that listens on its port itself (no proxy, whose port Aspire's test host would choose) gets a free
    /// one instead of its launch profile's, so a run can go on beside another one or a developer's AppHost.
    /// </summary>
    private static void OnFreePorts(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var endpoint in builder.Resources.OfType<ProjectResource>().SelectMany(service => service.Annotations.OfType<EndpointAnnotation>()))
        {
            if (!endpoint.IsProxied && endpoint.Port is not null)
            {
                endpoint.Port = LocalPorts.Free();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_dataDirectory is null)
        {
            return;
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in the temp folder are harmless (or already gone); the next run uses a new folder.
        }
    }
}
