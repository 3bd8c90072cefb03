namespace OrderSaga.AppHost.Infrastructure;

/// <summary>
/// The three servers the saga needs, as connection-string resources. Services are wired to these alone,
/// so they cannot tell containers from local processes from servers elsewhere. <paramref name="SingleBroker"/>: the
/// Kafka this mode starts has one broker, so topics can keep one copy only.
/// </summary>
public sealed record SagaInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> Kafka,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    bool SingleBroker);
