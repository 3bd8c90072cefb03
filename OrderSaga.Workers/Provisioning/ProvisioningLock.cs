using Npgsql;

namespace OrderSaga.Workers.Provisioning;

/// <summary>
/// Makes provisioning runs take turns: two at once (two deploys overlapping, a Job retried while its first pod
/// still runs) would both apply the same migration and one would fail halfway. A PostgreSQL session advisory lock on
/// a connection of its own, outside the pool, so it ends with the run even when the run dies.
/// </summary>
public sealed class ProvisioningLock : IAsyncDisposable
{
    /// <summary>Any number, as long as every run uses the same one and nothing else in the database does.</summary>
    public const long Key = 0x4f72_6465_7253_6167;

    private readonly NpgsqlConnection _connection;

    private ProvisioningLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Waits until no other run holds the lock, then holds it until disposed.</summary>
    public static async Task<ProvisioningLock> AcquireAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", Key);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new ProvisioningLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closing the session releases the lock.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
