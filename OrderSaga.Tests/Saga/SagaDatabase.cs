using Npgsql;
using OrderSaga.Testing;

namespace OrderSaga.Tests.Saga;

/// <summary>Direct reads of the application database, to check what a user cannot see over HTTP.</summary>
public sealed class SagaDatabase(string connectionString)
{
    /// <summary>A product of the test's own, so stock assertions are not disturbed by other tests.</summary>
    public async Task<string> CreateProductAsync(int stock, decimal price = 10m)
    {
        var id = $"it-{Guid.NewGuid():N}"[..20];
        await ExecuteNonQueryAsync("INSERT INTO products (id, name, price, stock) VALUES (@p0, @p0, @p1, @p2)", id, price, stock);
        return id;
    }

    /// <summary>
    /// An order of one unit of <paramref name="productId"/> at 10, written straight into the database (as if its
    /// events were lost, or not yet sent), last moved at <paramref name="updatedAt"/> (now when null).
    /// </summary>
    public Task InsertOrderAsync(Guid orderId, string userId, string status, string productId, DateTimeOffset? updatedAt = null) =>
        ExecuteNonQueryAsync("""
            WITH placed AS (
                INSERT INTO orders (id, user_id, status, total, created_at, updated_at) VALUES (@p0, @p1, @p2, 10, @p4, @p4))
            INSERT INTO order_items (order_id, product_id, qty, unit_price) VALUES (@p0, @p3, 1, 10)
            """, orderId, userId, status, productId, updatedAt ?? DateTimeOffset.UtcNow);

    /// <summary>
    /// An order of one unit at 10 placed at <paramref name="placedAt"/> and reserved, as inventory leaves it: stock
    /// taken, the reservation held, and its OrderCreated audited. Its InventoryReserved is the caller's to deliver;
    /// with <paramref name="status"/> CREATED, the status-updater has not recorded it yet.
    /// </summary>
    public Task InsertReservedOrderAsync(Guid orderId, string userId, string productId, DateTimeOffset placedAt, string status = OrderStatus.InventoryReserved) =>
        ExecuteNonQueryAsync("""
            WITH placed AS (
                INSERT INTO orders (id, user_id, status, total, created_at, updated_at) VALUES (@p0, @p1, @p4, 10, @p3, @p3)),
            line AS (
                INSERT INTO order_items (order_id, product_id, qty, unit_price) VALUES (@p0, @p2, 1, 10)),
            taken AS (
                UPDATE products SET stock = stock - 1 WHERE id = @p2),
            held AS (
                INSERT INTO stock_reservations (order_id, product_id, qty, reserved_at) VALUES (@p0, @p2, 1, @p3))
            INSERT INTO order_events (event_id, order_id, type, payload, occurred_at, recorded_at)
            VALUES (gen_random_uuid(), @p0, 'OrderCreated', '{}', @p3, @p3)
            """, orderId, userId, productId, placedAt, status);

    /// <summary>An unsent outbox row of 2 MB, twice what one Kafka message may hold: a row the relay can never publish.</summary>
    public async Task<Guid> InsertOversizedOutboxRowAsync()
    {
        var eventId = Guid.NewGuid();
        await ExecuteNonQueryAsync("""
            INSERT INTO outbox_messages (event_id, topic, message_key, event_type, envelope, created_at)
            VALUES (@p0, 'order-events', @p1, 'OrderCreated', jsonb_build_object('padding', repeat('x', 2000000)), now())
            """, eventId, Guid.NewGuid().ToString());
        return eventId;
    }

    /// <summary>Whether a transaction holds the order under <c>FOR UPDATE</c> (the reconciler's give-up), without waiting for it.</summary>
    public async Task<bool> IsLockedForUpdateAsync(Guid orderId)
    {
        try
        {
            await ExecuteNonQueryAsync("SELECT 1 FROM orders WHERE id = @p0 FOR KEY SHARE NOWAIT", orderId);
            return false;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return true;
        }
    }

    /// <summary>Waits until none of the orders is in flight; fails saying how many still are after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilFinalAsync(Guid[] ids, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        long inFlight;
        while ((inFlight = await CountAsync($"SELECT count(*) FROM orders WHERE id = ANY(@p0) AND {OrderStatus.InFlightSql}", (object)ids)) > 0)
        {
            Assert.True(deadline.Elapsed < timeout, $"{inFlight} of {ids.Length} orders still in flight after {timeout.TotalMinutes} minutes");
            await Task.Delay(500, cancellationToken);
        }
    }

    public Task<long> StockAsync(string productId) =>
        ScalarAsync("SELECT stock FROM products WHERE id = @p0", productId);

    public Task<long> CountAsync(string sql, params object[] parameters) => ScalarAsync(sql, parameters);

    public Task<int> ExecuteAsync(string sql, params object[] parameters) => ExecuteNonQueryAsync(sql, parameters);

    /// <summary>
    /// What <see cref="SagaInvariants"/> finds wrong with the orders of these products, every one of them final, once
    /// the work their last steps queued (outbox rows, deferred events) has drained or a minute has passed. With
    /// <paramref name="accepted"/>, any other order of these products is a violation too.
    /// </summary>
    public async Task<IReadOnlyList<string>> InvariantViolationsAsync(IReadOnlyDictionary<string, int> initialStock, IReadOnlyCollection<Guid>? accepted = null)
    {
        var products = initialStock.Keys.ToArray();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (await CountAsync(PendingWorkSql, (object)products) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await using var connection = await OpenAsync();
        return await SagaInvariants.CheckAsync(connection, new SagaExpectations(initialStock, RequireFinal: true, accepted), CancellationToken.None);
    }

    /// <summary>Outbox rows not yet sent and events waiting for a retry round, of the orders of the products in @p0.</summary>
    private const string PendingWorkSql = """
        WITH checked AS (SELECT DISTINCT order_id::text AS id FROM order_items WHERE product_id = ANY(@p0))
        SELECT (SELECT count(*) FROM outbox_messages m JOIN checked c ON m.message_key = c.id WHERE m.sent_at IS NULL AND m.set_aside_at IS NULL)
             + (SELECT count(*) FROM deferred_events d JOIN checked c ON d.message_key = c.id)
        """;

    /// <summary>A connection of the test's own, for work it wants to see inside one transaction.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<List<string>> ColumnAsync(string sql, params object[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0).ToString()!);
        }

        return values;
    }

    private async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task<int> ExecuteNonQueryAsync(string sql, params object[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue($"p{i}", parameters[i]);
        }

        return command;
    }
}
