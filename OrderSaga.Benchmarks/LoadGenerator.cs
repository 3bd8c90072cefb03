using System.Diagnostics;

namespace OrderSaga.Benchmarks;

/// <summary>One request's outcome; its latency counts from when it was due, so a slow server cannot hide queueing.</summary>
public readonly record struct RequestSample(TimeSpan DueAt, TimeSpan Latency, bool Succeeded);

/// <summary>Load that does not wait for answers (open loop), or as fast as a fixed number of callers can go (closed loop).</summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> OpenLoopAsync(double rate, TimeSpan duration, Func<CancellationToken, Task<bool>> request, CancellationToken cancellationToken)
    {
        var count = (int)(rate * duration.TotalSeconds);
        var requests = new List<Task<RequestSample>>(count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            if (due - clock.Elapsed is { TotalMilliseconds: > 1 } wait)
            {
                await Task.Delay(wait, cancellationToken);
            }

            requests.Add(TimeAsync(request, due, clock, cancellationToken));
        }

        var samples = await Task.WhenAll(requests);
        return new LoadResult(samples, clock.Elapsed);
    }

    public static async Task<LoadResult> ClosedLoopAsync(int callers, TimeSpan duration, Func<CancellationToken, Task<bool>> request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var perCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            var samples = new List<RequestSample>();
            while (clock.Elapsed < duration)
            {
                samples.Add(await TimeAsync(request, clock.Elapsed, clock, cancellationToken));
            }

            return samples;
        }));
        return new LoadResult([.. perCaller.SelectMany(samples => samples)], clock.Elapsed);
    }

    private static async Task<RequestSample> TimeAsync(Func<CancellationToken, Task<bool>> request, TimeSpan due, Stopwatch clock, CancellationToken cancellationToken)
    {
        bool succeeded;
        try
        {
            succeeded = await request(cancellationToken);
        }
        catch (HttpRequestException)
        {
            succeeded = false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            succeeded = false;
        }

        return new RequestSample(due, clock.Elapsed - due, succeeded);
    }
}

/// <summary>What a load run achieved: answered requests per second until the last answer, and their latencies.</summary>
public sealed record LoadResult(IReadOnlyList<RequestSample> Samples, TimeSpan Elapsed)
{
    public int Errors => Samples.Count(sample => !sample.Succeeded);

    public double AchievedRate => Samples.Count(sample => sample.Succeeded) / Elapsed.TotalSeconds;

    public LatencySummary Latency => LatencySummary.Of(Samples.Where(sample => sample.Succeeded).Select(sample => sample.Latency.TotalMilliseconds));
}
