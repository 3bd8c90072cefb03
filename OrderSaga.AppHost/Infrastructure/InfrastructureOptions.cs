using Microsoft.Extensions.Configuration;

namespace OrderSaga.AppHost.Infrastructure;

/// <summary>Settings under <c>Infrastructure</c> and <c>Kafka</c> in the AppHost's configuration.</summary>
public sealed class InfrastructureOptions
{
    public const string ResourceKafka = "kafka";
    public const string ResourcePostgres = "postgres";
    public const string ResourceDatabase = "ordersaga";
    public const string ResourceRedis = "redis";
    public const string OrderEventsTopic = "order-events";
    public const string DeadLetterTopic = "order-events.dlq";

    /// <summary>Partitions of <c>order-events</c>: the most consumers of one group that can share the work.</summary>
    public int OrderEventsPartitions { get; init; } = 6;

    /// <summary>Where local PostgreSQL keeps its data between runs.</summary>
    public string PostgresDataDirectory { get; init; } = DefaultDataDirectory();

    public string? PostgresBinDirectory { get; init; }

    public static InfrastructureOptions From(IConfiguration configuration) => new()
    {
        OrderEventsPartitions = configuration.GetValue("Kafka:Partitions", 6),
        PostgresDataDirectory = configuration["Infrastructure:Local:DataDirectory"] is { Length: > 0 } folder
            ? Path.Combine(Path.GetFullPath(folder), "postgres")
            : DefaultDataDirectory(),
        PostgresBinDirectory = configuration["Infrastructure:Local:PostgresBinDirectory"],
    };

    // As root the server runs as the postgres account, which cannot enter /root; /var/lib is open to it.
    private static string DefaultDataDirectory() => Environment.IsPrivilegedProcess
        ? "/var/lib/ordersaga/postgres"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ordersaga", "postgres");
}
