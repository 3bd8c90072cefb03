namespace OrderSaga.Benchmarks;

/// <summary>
/// What the application had spent at one moment: CPU seconds per part, database commits and statements (null where
/// PostgreSQL does not load <c>pg_stat_statements</c>), broker requests (null for an application the benchmark did
/// not start), orders in the database and orders this run had placed.
/// </summary>
public sealed record UsageSnapshot(
    IReadOnlyDictionary<string, double> CpuSeconds, long Commits, long? Statements, BrokerRequestCount? Broker, long Orders, long Placed)
{
    public static async Task<UsageSnapshot> TakeAsync(SagaUnderTest saga, BenchmarkShop shop, CancellationToken cancellationToken)
    {
        await using var commits = saga.Database.CreateCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        return new UsageSnapshot(ProcessCpu.Take(), Convert.ToInt64(await commits.ExecuteScalarAsync(cancellationToken)),
            await StatementsAsync(saga, cancellationToken),
            saga.Broker is null ? null : await saga.Broker.ReadAsync(cancellationToken),
            await shop.OrdersPlacedAsync(cancellationToken), shop.Placed);
    }

    private static async Task<long?> StatementsAsync(SagaUnderTest saga, CancellationToken cancellationToken)
    {
        try
        {
            await using var statements = saga.Database.CreateCommand("""
                CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
                SELECT COALESCE(SUM(calls), 0)::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database());
                """);
            return Convert.ToInt64(await statements.ExecuteScalarAsync(cancellationToken));
        }
        catch (Npgsql.PostgresException)
        {
            return null;
        }
    }
}

/// <summary>
/// What one scenario's orders cost, each made final before the scenario ended: CPU milliseconds per order of each
/// part of the application and in all, database commits and statements, broker fetches and produces per order, and
/// the spans of one order's trace by service. It compares across noisy machines better than a rate does.
/// </summary>
public sealed record CpuPerOrderResult(
    string Scenario,
    long Orders,
    IReadOnlyDictionary<string, double> MillisecondsPerOrder,
    double CommitsPerOrder,
    double? StatementsPerOrder,
    double? FetchesPerOrder,
    double? ProducesPerOrder,
    IReadOnlyDictionary<string, double>? SpansPerOrderByService)
{
    public double TotalMillisecondsPerOrder => MillisecondsPerOrder.Values.Sum();

    public double? SpansPerOrder => SpansPerOrderByService?.Values.Sum();

    public static CpuPerOrderResult Between(
        string scenario, UsageSnapshot before, UsageSnapshot after, IReadOnlyDictionary<string, double>? spansPerOrderByService)
    {
        var orders = after.Orders - before.Orders;
        // A process that started during the scenario counts from zero; one that ended takes its time with it.
        var perOrder = after.CpuSeconds.ToDictionary(
            part => part.Key,
            part => (part.Value - before.CpuSeconds.GetValueOrDefault(part.Key)) * 1000 / orders);
        return new CpuPerOrderResult(scenario, orders, perOrder, (double)(after.Commits - before.Commits) / orders,
            after.Statements - before.Statements is { } statements ? (double)statements / orders : null,
            after.Broker?.Fetches - before.Broker?.Fetches is { } fetches ? (double)fetches / orders : null,
            after.Broker?.Produces - before.Broker?.Produces is { } produces ? (double)produces / orders : null,
            spansPerOrderByService);
    }
}
