using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using OrderSaga.Testing;
using OrderSaga.Tests.Saga;

namespace OrderSaga.Tests.Faults;

/// <summary>One order of a stream: who places it, and what.</summary>
public sealed record StreamedOrder(string UserId, IReadOnlyList<(string ProductId, int Qty)> Lines)
{
    /// <summary>
    /// The <paramref name="i"/>th order of a forced mix: every fifth declined, the rest approved by turns, every third
    /// also taking a <paramref name="scarce"/> product that runs out, so approvals, declines and stock failures all flow.
    /// </summary>
    public static StreamedOrder Mixed(int i, IReadOnlyList<string> approved, string declined, string plenty, string scarce) =>
        new(i % 5 == 4 ? declined : approved[i % approved.Count], i % 3 == 0 ? [(plenty, 1), (scarce, 1)] : [(plenty, 1)]);
}

/// <summary>A request the API took: what was asked, under which Idempotency-Key, and the order it answered with.</summary>
public sealed record AcceptedOrder(StreamedOrder Order, string IdempotencyKey, Guid OrderId);

/// <summary>What a stream met: the requests the API took, and every answer on the way that was not yet a yes.</summary>
public sealed record StreamOutcome(IReadOnlyList<AcceptedOrder> Accepted, IReadOnlyList<string> Refusals, int Abandoned)
{
    public Guid[] OrderIds => [.. Accepted.Select(accepted => accepted.OrderId)];
}

/// <summary>
/// Places orders at a steady rate, open loop, the way patient clients do: every order carries an Idempotency-Key,
/// and an answer that is not final (429, 5xx, no answer at all) is retried with the same key until the API takes
/// the order, so an outage delays orders but never loses or doubles one.
/// </summary>
public sealed class OrderStream(Uri api, TestTokens tokens)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Places at least <paramref name="count"/> orders, and goes on at the same rate until <paramref name="goOnUntil"/>
    /// completes, so the stream flows through the whole of whatever happens meanwhile.
    /// </summary>
    public async Task<StreamOutcome> RunAsync(int count, int perSecond, Func<int, StreamedOrder> orderAt, Task goOnUntil, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        var refusals = new ConcurrentQueue<string>();
        var runId = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        var placing = new List<Task<AcceptedOrder?>>(count);
        for (var i = 0; i < count || !goOnUntil.IsCompleted; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            placing.Add(PlaceAsync(http, orderAt(i), $"stream-{runId}-{i}", refusals, cancellationToken));
        }

        var placed = await Task.WhenAll(placing);
        return new StreamOutcome([.. placed.OfType<AcceptedOrder>()], [.. refusals], placed.Count(accepted => accepted is null));
    }

    /// <summary>Sends every accepted request once more with its Idempotency-Key, as a client unsure of its answer would.</summary>
    public async Task<IReadOnlyList<AcceptedOrder?>> ReplayAsync(IReadOnlyList<AcceptedOrder> accepted, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        using var callers = new SemaphoreSlim(8);
        return await Task.WhenAll(accepted.Select(async request =>
        {
            await callers.WaitAsync(cancellationToken);
            try
            {
                return await PlaceAsync(http, request.Order, request.IdempotencyKey, new ConcurrentQueue<string>(), cancellationToken);
            }
            finally
            {
                callers.Release();
            }
        }));
    }

    private async Task<AcceptedOrder?> PlaceAsync(HttpClient http, StreamedOrder order, string idempotencyKey, ConcurrentQueue<string> refusals, CancellationToken cancellationToken)
    {
        var token = await tokens.ForUserAsync(order.UserId);
        var giveUp = Stopwatch.StartNew();
        while (giveUp.Elapsed < GiveUpAfter)
        {
            var wait = RetryDelay;
            try
            {
                using var request = OrderRequests.Place(token, order.Lines, idempotencyKey: idempotencyKey);
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    return new AcceptedOrder(order, idempotencyKey, (await OrderRequests.CreatedAsync(response, cancellationToken)).OrderId);
                }

                refusals.Enqueue($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
                if (response.StatusCode is not (HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError))
                {
                    return null;
                }

                wait = response.Headers.RetryAfter?.Delta ?? RetryDelay;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                refusals.Enqueue($"no answer ({ex.GetType().Name})");
            }

            await Task.Delay(wait, cancellationToken);
        }

        return null;
    }
}
