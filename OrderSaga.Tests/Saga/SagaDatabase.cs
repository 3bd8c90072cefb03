using Npgsql;
using OrderSaga.Data.Diagnostics;

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

    public Task<long> StockAsync(string productId) =>
        ScalarAsync("SELECT stock FROM products WHERE id = @p0", productId);

    public Task<long> CountAsync(string sql, params object[] parameters) => ScalarAsync(sql, parameters);

    public Task<int> ExecuteAsync(string sql, params object[] parameters) => ExecuteNonQueryAsync(sql, parameters);

    /// <summary>What <see cref="SagaInvariants"/> finds wrong with the orders of these products, every one of them final.</summary>
    public async Task<IReadOnlyList<string>> InvariantViolationsAsync(IReadOnlyDictionary<string, int> initialStock)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await SagaInvariants.CheckAsync(dataSource, initialStock, requireFinal: true, CancellationToken.None);
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

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
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
