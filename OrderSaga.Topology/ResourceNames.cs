namespace OrderSaga.Topology;

/// <summary>
/// The AppHost's resource names. For the servers they are also the connection string names the services read
/// (<c>ConnectionStrings:kafka</c>, <c>ConnectionStrings:ordersaga</c>, <c>ConnectionStrings:redis</c>).
/// </summary>
public static class ResourceNames
{
    public const string Kafka = "kafka";
    public const string KafkaConsole = "kafka-console";
    public const string Postgres = "postgres";

    /// <summary>The application database inside <see cref="Postgres"/>; the resource and the database share the name.</summary>
    public const string Database = "ordersaga";

    public const string Redis = "redis";
    public const string Api = "api";

    /// <summary>The operator console: the live board, dead letters, stuck orders.</summary>
    public const string Operator = "operator";

    /// <summary>The one-shot job that migrates the database and creates the topics; every service waits for it.</summary>
    public const string Provisioning = SagaRoles.Provisioning;
}
