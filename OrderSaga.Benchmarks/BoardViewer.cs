using System.Net.Http.Headers;
using System.Text.Json;

namespace OrderSaga.Benchmarks;

/// <summary>What a board viewer saw while the scenarios ran.</summary>
public sealed record BoardViewResult(long Envelopes, long DeadLetters, long StatisticsUpdates, long NotDrawn);

/// <summary>
/// Watches the live board through the whole run, as an operator's browser would, so the figures show what an open
/// board costs the saga (compare a run with <c>--watch-board</c> to one without).
/// </summary>
public sealed class BoardViewer(HttpClient console, string operatorToken) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private long _envelopes;
    private long _deadLetters;
    private long _statistics;
    private long _notDrawn;
    private Task? _watching;

    public BoardViewResult Result => new(Interlocked.Read(ref _envelopes), Interlocked.Read(ref _deadLetters), Interlocked.Read(ref _statistics), Interlocked.Read(ref _notDrawn));

    public void Start() => _watching = Task.Run(() => WatchAsync(_stop.Token));

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/operator/board/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken);
        using var response = await console.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var type = "";
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                type = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                Count(type, line[5..]);
            }
        }
    }

    private void Count(string type, string data)
    {
        switch (type)
        {
            case "envelope":
                Interlocked.Increment(ref _envelopes);
                break;
            case "dead-letter":
                Interlocked.Increment(ref _deadLetters);
                break;
            case "statistics":
                Interlocked.Increment(ref _statistics);
                Interlocked.Exchange(ref _notDrawn, JsonDocument.Parse(data).RootElement.GetProperty("sampled_out").GetInt64());
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await (_watching ?? Task.CompletedTask);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
