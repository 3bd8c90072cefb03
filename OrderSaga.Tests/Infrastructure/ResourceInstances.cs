using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// The running instances of an application's resources (one per replica), and what a fault drill or a rolling
/// restart does to them: signal the process that runs one, and start it again as the dashboard's start button does.
/// </summary>
public sealed class ResourceInstances(DistributedApplication app)
{
    /// <summary>The id of the process that runs a resource's code, for a resource that runs as a local process.</summary>
    public int ProcessId(string resource) =>
        app.ResourceNotifications.TryGetCurrentState(resource, out var state) && ProcessIdOf(state) is { } pid
            ? LocalProcesses.ServiceProcess(pid)
            : throw new InvalidOperationException($"{resource} has no process id");

    /// <summary>
    /// Sends <paramref name="signal"/> to the process that runs a running instance of a resource's code (one replica
    /// if it has several, none of <paramref name="except"/>): KILL crashes it, TERM asks it to shut down as a
    /// deployment would. Waits until that very process is gone and Aspire has seen the instance exit, and returns its
    /// instance id.
    /// </summary>
    public async Task<string> SignalAsync(string resource, string signal, CancellationToken cancellationToken, IReadOnlyCollection<string>? except = null)
    {
        var running = await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && ProcessIdOf(e) is not null && except?.Contains(e.ResourceId) != true, cancellationToken);
        var service = LocalProcesses.ServiceProcess(ProcessIdOf(running)!.Value);
        await LocalProcesses.SignalAsync(signal, service);
        await LocalProcesses.WaitUntilGoneAsync(service, TimeSpan.FromSeconds(30));
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.ResourceId == running.ResourceId && KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text),
            cancellationToken);
        return running.ResourceId;
    }

    /// <summary>
    /// Starts one stopped instance again, as the dashboard's start button does, and waits until it and
    /// <paramref name="dependents"/> (services that report it in their health) are healthy.
    /// </summary>
    public async Task StartAsync(string resource, string instanceId, CancellationToken cancellationToken, params string[] dependents)
    {
        var started = await app.ResourceCommands.ExecuteCommandAsync(instanceId, KnownResourceCommands.StartCommand, cancellationToken);
        Assert.True(started.Success, $"starting {instanceId} failed: {started.Message}");
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.ResourceId == instanceId && e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy,
            cancellationToken);
        await Task.WhenAll(dependents.Select(dependent => app.ResourceNotifications.WaitForResourceHealthyAsync(dependent, cancellationToken)));
    }

    /// <summary>
    /// Where each of a resource's <paramref name="count"/> running instances listens itself, behind the one endpoint
    /// Aspire spreads requests over: to send requests to every replica, not to whichever the proxy picks.
    /// </summary>
    public async Task<IReadOnlyList<Uri>> OwnAddressesAsync(string resource, int count, CancellationToken cancellationToken)
    {
        var instanceIds = new HashSet<string>();
        await foreach (var update in app.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (update.Resource.Name == resource && instanceIds.Add(update.ResourceId) && instanceIds.Count == count)
            {
                break;
            }
        }

        return await Task.WhenAll(instanceIds.Select(instanceId => OwnAddressAsync(instanceId, cancellationToken)));
    }

    /// <summary>The one port an instance's service process listens on, as soon as its latest state names a process that does.</summary>
    private async Task<Uri> OwnAddressAsync(string instanceId, CancellationToken cancellationToken)
    {
        while (true)
        {
            // A restarted instance may name its earlier process for a moment: wait for one that listens.
            if (app.ResourceNotifications.TryGetCurrentState(instanceId, out var state) && state.Snapshot.State?.Text == KnownResourceStates.Running
                && ProcessIdOf(state) is { } pid && LocalProcesses.TryServiceProcess(pid) is { } service
                && LocalProcesses.ListeningPorts(service) is [var port])
            {
                return new Uri($"http://127.0.0.1:{port}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static int? ProcessIdOf(ResourceEvent state) =>
        state.Snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } pid ? Convert.ToInt32(pid) : null;
}
