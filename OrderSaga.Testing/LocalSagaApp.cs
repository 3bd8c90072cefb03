using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderSaga.Testing;

/// <summary>
/// The whole application started through the real AppHost in local mode on a fresh data folder, as the tests and the
/// benchmark run it; disposing it stops every resource and removes the folder.
/// </summary>
public sealed class LocalSagaApp : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private LocalSagaApp(DistributedApplication app, string dataDirectory) => (App, _dataDirectory) = (app, dataDirectory);

    public DistributedApplication App { get; }

    /// <summary>
    /// Starts the application with the AppHost <paramref name="settings"/> (<c>Key=Value</c>) and waits until the
    /// <paramref name="healthy"/> resources are. The signing key for test tokens must exist before (issue one).
    /// </summary>
    /// <param name="configure">Changes to the app model before it is built, such as a resource's environment.</param>
    /// <param name="withDashboard">Run the Aspire dashboard, as <c>dotnet run</c> does, instead of leaving it out.</param>
    public static async Task<LocalSagaApp> StartAsync(
        IEnumerable<string> settings,
        IEnumerable<string> healthy,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        Action<IDistributedApplicationTestingBuilder>? configure = null,
        bool withDashboard = false)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ordersaga-tests", Guid.NewGuid().ToString("N"));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.OrderSaga_AppHost>(
            ["--Infrastructure:Mode=local", $"--Infrastructure:Local:DataDirectory={dataDirectory}", .. settings.Select(setting => $"--{setting}")],
            (options, _) => options.DisableDashboard = !withDashboard,
            cancellationToken);
        // The resources' console output is kept by the app (and shown by the dashboard); here it would bury the caller's.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        configure?.Invoke(builder);
        var app = await builder.BuildAsync(cancellationToken);
        var started = new LocalSagaApp(app, dataDirectory);
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

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
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
