using System.Diagnostics;

namespace OrderSaga.DevServers.Kafka;

/// <summary>
/// Notices that this process did not run for longer than <paramref name="tolerance"/> (stopped, or paused in a
/// debugger) by a gap in its own monotonic clock, and says how long. It ticks on a thread of its own, so a busy
/// thread pool is not taken for a pause.
/// </summary>
public sealed class PauseWatch : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public PauseWatch(TimeSpan tolerance, Action<TimeSpan> paused)
    {
        _thread = new Thread(() =>
        {
            var since = Stopwatch.StartNew();
            while (!_stop.Token.WaitHandle.WaitOne(Tick))
            {
                if (since.Elapsed > tolerance)
                {
                    paused(since.Elapsed);
                }

                since.Restart();
            }
        })
        {
            IsBackground = true,
            Name = "pause watch",
        };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
