namespace OrderSaga.AppHost.Infrastructure;

/// <summary>A Redpanda broker container; clients on the host use its external Kafka listener.</summary>
public sealed class RedpandaResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string ExternalEndpointName = "kafka";
    public const string InternalEndpointName = "internal";
    public const int ExternalPort = 19092;
    public const int InternalPort = 9092;

    public EndpointReference ExternalEndpoint => new(this, ExternalEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{ExternalEndpoint.Property(EndpointProperty.HostAndPort)}");
}
