using Microsoft.Extensions.Configuration;
using OrderSaga.Topology;

namespace OrderSaga.AppHost.Infrastructure;

/// <summary>Settings under <c>Infrastructure</c> and <c>Kafka</c> in the AppHost's configuration.</summary>
public sealed class InfrastructureOptions
{
    /// <summary>Partitions of <c>order-events</c>: the most consumers of one group that can share the work.</summary>
    public int OrderEventsPartitions { get; init; } = 6;

    /// <summary>
    /// The host port of the broker's Kafka listener in containers mode; null lets Aspire pick a free one. The broker
    /// advertises whichever port it gets, so nothing else needs to know it.
    /// </summary>
    public int? KafkaHostPort { get; init; }

    /// <summary>Where local PostgreSQL keeps its data between runs.</summary>
    public string PostgresDataDirectory { get; init; } = DefaultDataDirectory();

    public string? PostgresBinDirectory { get; init; }

    public static InfrastructureOptions From(IConfiguration configuration) => new()
    {
        OrderEventsPartitions = configuration.GetValue(Topics.PartitionsKey, 6),
        KafkaHostPort = configuration.GetValue<int?>("Kafka:HostPort"),
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
