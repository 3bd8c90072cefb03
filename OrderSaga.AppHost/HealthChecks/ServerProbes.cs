using Confluent.Kafka;
using Npgsql;
using OrderSaga.DevServers.Postgres;
using StackExchange.Redis;

namespace OrderSaga.AppHost.HealthChecks;

/// <summary>The smallest real request each kind of server must answer to count as healthy.</summary>
public static class ServerProbes
{
    /// <summary>
    /// Metadata from the bootstrap address, whose brokers must obey <paramref name="addresses"/>: with
    /// <see cref="BrokerAddresses.Followed"/> each one is asked for metadata in turn, as a client following it would.
    /// </summary>
    public static Func<string, CancellationToken, Task> KafkaAsync(BrokerAddresses addresses) => (bootstrapServers, cancellationToken) => Task.Run(() =>
    {
        var brokers = KafkaBrokers(bootstrapServers);
        if (addresses == BrokerAddresses.Dialled && AdvertisedBrokers.Mismatch(bootstrapServers, brokers) is { } mismatch)
        {
            throw new InvalidOperationException(mismatch);
        }

        if (addresses == BrokerAddresses.Followed)
        {
            foreach (var (host, port) in brokers)
            {
                KafkaBrokers($"{host}:{port}");
            }
        }
    }, cancellationToken);

    private static List<(string Host, int Port)> KafkaBrokers(string bootstrapServers)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = bootstrapServers,
            SocketTimeoutMs = 3000,
        }).SetLogHandler((_, _) => { }).Build();
        var brokers = admin.GetMetadata(TimeSpan.FromSeconds(3)).Brokers.Select(broker => (broker.Host, broker.Port)).ToList();
        return brokers is [] ? throw new InvalidOperationException($"{bootstrapServers} answered without any broker in its metadata") : brokers;
    }

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
