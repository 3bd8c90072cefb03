namespace OrderSaga.AppHost.Infrastructure;

/// <summary>How Kafka, PostgreSQL and Redis are provided to the services.</summary>
public enum InfrastructureMode
{
    /// <summary>Redpanda, PostgreSQL and Redis images run by a container runtime.</summary>
    Containers,

    /// <summary>Processes on this machine: its PostgreSQL binaries, Garnet and librdkafka's mock cluster.</summary>
    Local,

    /// <summary>Servers the AppHost does not start (a Kafka cluster, managed PostgreSQL and Redis), named by connection strings.</summary>
    External,
}

/// <summary>The mode in force and why it was chosen, for the start-up log.</summary>
public sealed record InfrastructureChoice(InfrastructureMode Mode, string Reason);
