namespace OrderSaga.AppHost.Infrastructure;

/// <summary>A Redpanda broker container; clients on the host use its external Kafka listener.</summary>
public sealed class RedpandaResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string ExternalEndpointName = "tcp";
    public const string InternalEndpointName = "internal";

    /// <summary>The listener for clients on the host, reached through Aspire's proxy on the host port.</summary>
    public const int ExternalPort = 19092;

    /// <summary>The listener for other containers (Redpanda Console), by the container's name.</summary>
    public const int InternalPort = 9092;

    public EndpointReference ExternalEndpoint => new(this, ExternalEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{ExternalEndpoint.Property(EndpointProperty.HostAndPort)}");

    /// <summary>Where other containers reach the broker, on the container network.</summary>
    public string InternalBootstrapServers => $"{Name}:{InternalPort}";

    /// <summary>
    /// The listeners' advertised addresses: containers are told the container name, host clients the host port
    /// Aspire allocated, which is what they dial, so metadata never sends them elsewhere.
    /// </summary>
    public ReferenceExpression AdvertisedListeners =>
        ReferenceExpression.Create($"internal://{InternalBootstrapServers},external://localhost:{ExternalEndpoint.Property(EndpointProperty.Port)}");
}
