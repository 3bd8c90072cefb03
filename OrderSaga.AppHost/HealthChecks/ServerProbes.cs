using Confluent.Kafka;
using Npgsql;
using OrderSaga.DevServers.Postgres;
using StackExchange.Redis;

namespace OrderSaga.AppHost.HealthChecks;

/// <summary>The smallest real request each kind of server must answer to count as healthy.</summary>
public static class ServerProbes
{
    public static Task KafkaAsync(string bootstrapServers, CancellationToken cancellationToken) => Task.Run(() =>
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = bootstrapServers,
            SocketTimeoutMs = 3000,
        }).SetLogHandler((_, _) => { }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(3));
        if (AdvertisedBrokers.Mismatch(bootstrapServers, [.. metadata.Brokers.Select(broker => (broker.Host, broker.Port))]) is { } mismatch)
        {
            throw new InvalidOperationException(mismatch);
        }
    }, cancellationToken);

    /// <summary>A PostgreSQL server of this machine is asked only once its status file says it accepts connections.</summary>
    public static Func<string, CancellationToken, Task> LocalPostgres(string dataDirectory) => async (connectionString, cancellationToken) =>
    {
        if (!await PostmasterStatus.IsReadyAsync(dataDirectory, cancellationToken))
        {
            throw new InvalidOperationException($"PostgreSQL in {dataDirectory} is not accepting connections yet");
        }

        await PostgresAsync(connectionString, cancellationToken);
    };

    public static async Task PostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 3 }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public static async Task RedisAsync(string connectionString, CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.ConnectTimeout = 3000;
        options.AbortOnConnectFail = true;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        await connection.GetDatabase().PingAsync();
    }
}
