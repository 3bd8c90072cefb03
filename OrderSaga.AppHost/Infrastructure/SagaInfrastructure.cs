namespace OrderSaga.AppHost.Infrastructure;

/// <summary>
/// The three servers the saga needs, as connection-string resources. Services are wired to these alone,
/// so they cannot tell containers from local processes.
/// </summary>
public sealed record SagaInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> Kafka,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Redis);
