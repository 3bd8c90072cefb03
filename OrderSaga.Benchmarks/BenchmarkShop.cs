using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using OrderSaga.AppHost.Security;
using OrderSaga.Testing;
using OrderSaga.Benchmarks.Scenarios;
using OrderSaga.Topology;

namespace OrderSaga.Benchmarks;

/// <summary>How one order fared: from the server's own timestamps, created_at until its final status was written.</summary>
public sealed record OrderTiming(string Outcome, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool Final)
{
    public double CreatedToFinalMs => (UpdatedAt - CreatedAt).TotalMilliseconds;
}

/// <summary>Orders per second placed and made final, over the whole run.</summary>
public sealed record TimelinePoint(double Second, int Created, int Final);

/// <summary>
/// The benchmark's own catalogue and customers. Each scenario orders as a few customers of its own, so its orders can
/// be told apart in the database and no customer's rate limit caps it. An order has one to three lines over the
/// catalogue, as a shop's do; every tenth also asks for a product that sells out early in the run, so the
/// out-of-stock path is measured and checked too. With <see cref="BenchmarkSettings.OneLine"/> every order is one
/// unit of one product instead, for comparison with the runs before orders had several lines. Each customer signs
/// in with a token from <c>dotnet user-jwts</c>; orders are read back as an operator.
/// </summary>
public sealed class BenchmarkShop(SagaUnderTest saga, TestTokens tokens, BenchmarkSettings settings, string runId)
{
    private readonly ConcurrentBag<Guid> _accepted = [];
    private readonly ConcurrentDictionary<long, string> _traceIds = [];
    private long _placed;

    /// <summary>The operator the benchmark reads orders as; issue its token before the api starts, so the signing key exists.</summary>
    public const string Operator = "bench-operator";

    public const int InitialStock = 10_000_000;
    public const int ScarceStock = 100;
    private const int ScarceEvery = 10;
    private const int CustomersPerScenario = 4;
    private const int MaxLines = 3;
    private static readonly decimal[] Prices = [1.00m, 2.50m, 4.00m, 12.90m];

    private string[] Products { get; } = [.. Prices.Select((_, index) => $"bench-{runId}-{index}")];

    private string ScarceProductId { get; } = $"bench-{runId}-scarce";

    /// <summary>Every product of the run with the stock it started with.</summary>
    public IReadOnlyDictionary<string, int> Stock =>
        Products.Append(ScarceProductId).ToDictionary(product => product, product => product == ScarceProductId ? ScarceStock : InitialStock);

    /// <summary>The orders the api answered with: the run must have made these and no others.</summary>
    public IReadOnlyCollection<Guid> Accepted => _accepted;

    /// <summary>The customers of a scenario, as a <c>LIKE</c> pattern over user ids.</summary>
    public string UserFor(string scenario) => $"bench-{runId}-{scenario}-%";

    private string Customer(string scenario, long order) => $"bench-{runId}-{scenario}-{order % CustomersPerScenario}";

    private string AnyUser => $"bench-{runId}-%";

    /// <summary>
    /// Issues the tokens of every customer of these scenarios before they start: issuing one mid-scenario would stall
    /// its first requests for the two seconds <c>dotnet user-jwts</c> takes, and load the machine being measured.
    /// </summary>
    public async Task SignInAsync(IEnumerable<string> scenarios)
    {
        foreach (var scenario in scenarios)
        {
            for (var customer = 0; customer < CustomersPerScenario; customer++)
            {
                await tokens.ForUserAsync(Customer(scenario, customer));
            }
        }
    }

    public async Task StockAsync(CancellationToken cancellationToken)
    {
        foreach (var (product, stock) in Stock)
        {
            await using var command = saga.Database.CreateCommand("INSERT INTO products (id, name, price, stock) VALUES (@id, 'Benchmark item', @price, @stock)");
            command.Parameters.AddWithValue("id", product);
            command.Parameters.AddWithValue("price", Array.IndexOf(Products, product) is var index and >= 0 ? Prices[index] : 1.00m);
            command.Parameters.AddWithValue("stock", stock);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Places the next order as one of the <paramref name="scenario"/>'s customers; false when it was refused.</summary>
    public async Task<bool> PlaceAsync(string scenario, CancellationToken cancellationToken)
    {
        var order = Interlocked.Increment(ref _placed);
        var user = Customer(scenario, order);
        using var request = OrderRequests.Place(await tokens.ForUserAsync(user), LinesOf(order), user);
        var (traceId, traceParent) = OrderTraces.Start();
        request.Headers.Add("traceparent", traceParent);
        using var response = await saga.Api.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        _accepted.Add((await OrderRequests.CreatedAsync(response, cancellationToken)).OrderId);
        _traceIds[order] = traceId;
        return true;
    }

    /// <summary>How many orders this run has placed (refused ones included).</summary>
    public long Placed => Interlocked.Read(ref _placed);

    /// <summary>The traces of up to <paramref name="count"/> accepted orders spread over those placed after <paramref name="after"/>, up to <paramref name="upTo"/>.</summary>
    public IEnumerable<string> TraceIdsPlaced(long after, long upTo, int count)
    {
        var step = Math.Max(1, (upTo - after) / count);
        for (var order = after + 1; order <= upTo; order += step)
        {
            if (_traceIds.TryGetValue(order, out var traceId))
            {
                yield return traceId;
            }
        }
    }

    /// <summary>The <paramref name="order"/>th order's lines: distinct products, so the same order always asks for the same.</summary>
    private (string ProductId, int Qty)[] LinesOf(long order)
    {
        var scarce = order % ScarceEvery == 0;
        if (settings.OneLine)
        {
            return [(scarce ? ScarceProductId : Products[0], 1)];
        }

        var lines = Enumerable.Range(0, (int)(order % MaxLines) + 1)
            .Select(line => (Products[(order + line) % Products.Length], 1 + (int)((order / MaxLines + line) % 2)));
        return scarce ? [(ScarceProductId, 1), .. lines.Skip(1)] : [.. lines];
    }

    public async Task<bool> ReadAsync(Guid orderId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/orders/{orderId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.ForAdminAsync(Operator));
        using var response = await saga.Api.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    /// <summary>Every order of this run placed so far.</summary>
    public Task<long> OrdersPlacedAsync(CancellationToken cancellationToken) =>
        CountAsync("SELECT COUNT(*) FROM orders WHERE user_id LIKE @user", AnyUser, cancellationToken);

    public Task<long> InFlightAsync(string user, CancellationToken cancellationToken) =>
        CountAsync($"SELECT COUNT(*) FROM orders WHERE user_id LIKE @user AND {OrderStatus.InFlightSql}", user, cancellationToken);

    /// <summary>Waits until every order of users matching <paramref name="user"/> is final, printing progress.</summary>
    public async Task WaitUntilFinalAsync(string user, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (await InFlightAsync(user, cancellationToken) is var inFlight and > 0)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{inFlight} orders of {user} are still in flight after {timeout.TotalSeconds:F0} s.");
            }

            Progress.Report($"draining: {inFlight} orders in flight");
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    public Task WaitUntilAllFinalAsync(TimeSpan timeout, CancellationToken cancellationToken) => WaitUntilFinalAsync(AnyUser, timeout, cancellationToken);

    public async Task<IReadOnlyList<OrderTiming>> TimingsAsync(string user, CancellationToken cancellationToken)
    {
        await using var command = saga.Database.CreateCommand(
            $"SELECT COALESCE(cancel_reason, status), created_at, updated_at, NOT ({OrderStatus.InFlightSql}) FROM orders WHERE user_id LIKE @user");
        command.Parameters.AddWithValue("user", user);
        var timings = new List<OrderTiming>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            timings.Add(new OrderTiming(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetBoolean(3)));
        }

        return timings;
    }

    public async Task<IReadOnlyList<Guid>> FinalOrderIdsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = saga.Database.CreateCommand($"SELECT id FROM orders WHERE user_id LIKE @user AND NOT ({OrderStatus.InFlightSql}) LIMIT @limit");
        command.Parameters.AddWithValue("user", AnyUser);
        command.Parameters.AddWithValue("limit", limit);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>Where the time of <paramref name="user"/>'s shipped orders went, step by step, from the outbox's own timestamps.</summary>
    public async Task<IReadOnlyList<SagaStep>> StepsAsync(string user, CancellationToken cancellationToken)
    {
        await using var command = saga.Database.CreateCommand("""
            WITH events AS (
                SELECT m.message_key, m.event_type, m.created_at, m.sent_at, o.updated_at,
                       lag(m.event_type) OVER w AS before_type, lag(m.created_at) OVER w AS before_at, lag(m.sent_at) OVER w AS before_sent,
                       row_number() OVER (PARTITION BY m.message_key ORDER BY m.created_at DESC) AS from_last
                FROM outbox_messages m JOIN orders o ON o.id::text = m.message_key
                WHERE o.user_id LIKE @user AND o.status = 'SHIPPED'
                WINDOW w AS (PARTITION BY m.message_key ORDER BY m.created_at)),
            steps AS (
                SELECT before_type || ' → ' || event_type AS step, before_at AS since, created_at AS until, before_sent FROM events WHERE before_type IS NOT NULL
                UNION ALL
                SELECT event_type || ' → final', created_at, updated_at, sent_at FROM events WHERE from_last = 1)
            SELECT step,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM until - since) * 1000),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM before_sent - since) * 1000)
            FROM steps GROUP BY step ORDER BY min(since)
            """);
        command.Parameters.AddWithValue("user", user);
        var steps = new List<SagaStep>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            steps.Add(new SagaStep(reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2)));
        }

        return steps;
    }

    public async Task<IReadOnlyList<TimelinePoint>> TimelineAsync(CancellationToken cancellationToken)
    {
        await using var command = saga.Database.CreateCommand($"""
            WITH run AS (SELECT * FROM orders WHERE user_id LIKE @user),
                 start AS (SELECT date_trunc('second', MIN(created_at)) AS at FROM run),
                 created AS (SELECT date_trunc('second', created_at) AS at, COUNT(*) AS n FROM run GROUP BY 1),
                 final AS (SELECT date_trunc('second', updated_at) AS at, COUNT(*) AS n FROM run WHERE NOT ({OrderStatus.InFlightSql}) GROUP BY 1)
            SELECT EXTRACT(EPOCH FROM (s.at - start.at))::float8, COALESCE(c.n, 0)::int, COALESCE(f.n, 0)::int
            FROM start, generate_series(start.at, (SELECT MAX(updated_at) FROM run), interval '1 second') AS s(at)
            LEFT JOIN created c ON c.at = s.at LEFT JOIN final f ON f.at = s.at
            ORDER BY 1
            """);
        command.Parameters.AddWithValue("user", AnyUser);
        var points = new List<TimelinePoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            points.Add(new TimelinePoint(reader.GetDouble(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return points;
    }

    private async Task<long> CountAsync(string sql, string user, CancellationToken cancellationToken)
    {
        await using var command = saga.Database.CreateCommand(sql);
        command.Parameters.AddWithValue("user", user);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }
}
