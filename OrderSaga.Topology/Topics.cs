namespace OrderSaga.Topology;

public static class Topics
{
    /// <summary>The one topic of the saga; the message key is the order id, so one order's events stay in order.</summary>
    public const string OrderEvents = "order-events";

    /// <summary>Where messages go that cannot be handled, with the error and their original coordinates in headers.</summary>
    public const string DeadLetters = "order-events.dlq";

    /// <summary>The setting for <see cref="OrderEvents"/>' partition count: the most consumers of one group that share the work.</summary>
    public const string PartitionsKey = "Kafka:Partitions";

    /// <summary>The settings for how many brokers keep a copy of each partition, and how many of them must have a write before it counts.</summary>
    public const string ReplicationFactorKey = "Kafka:ReplicationFactor";

    public const string MinInsyncReplicasKey = "Kafka:MinInsyncReplicas";
}
