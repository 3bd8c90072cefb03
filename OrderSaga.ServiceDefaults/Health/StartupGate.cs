namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Opens once the service's dependencies answered at start (<see cref="StartupHealthGate"/>). The service's own work
/// waits for it (<see cref="GatedHostedService"/>) while the web server already answers: <c>/alive</c> at once, so an
/// orchestrator does not restart a pod that is only waiting, and <c>/health</c> not ready until then
/// (<see cref="HealthReportCache"/>).
/// </summary>
public sealed class StartupGate
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _waitingFor = "the first health checks";

    public bool IsOpen => _opened.Task.IsCompleted;

    /// <summary>What the gate still waits for, as <c>/health</c> says it.</summary>
    public string Waiting => $"starting: waiting for {_waitingFor}";

    public Task WhenOpenAsync(CancellationToken cancellationToken) => _opened.Task.WaitAsync(cancellationToken);

    internal void WaitingFor(string reasons) => _waitingFor = reasons;

    internal void Open() => _opened.TrySetResult();
}
