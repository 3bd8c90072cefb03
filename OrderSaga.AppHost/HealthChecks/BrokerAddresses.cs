namespace OrderSaga.AppHost.HealthChecks;

/// <summary>Which addresses a Kafka server may name for its brokers in metadata, for its health check.</summary>
public enum BrokerAddresses
{
    /// <summary>
    /// Only the address clients dial: a broker behind a port the AppHost chose must name that port, so a leftover
    /// broker on it (which names its own) is caught.
    /// </summary>
    Dialled,

    /// <summary>Any address that answers a client: an external cluster's bootstrap address is often not a broker's.</summary>
    Followed,
}
