using System.ComponentModel.DataAnnotations;

namespace OrderSaga.Workers.Provisioning;

/// <summary>Partition counts of the topics the provisioning job makes sure exist (<c>Kafka:Topics</c>).</summary>
public sealed class TopicOptions
{
    public const string Section = "Kafka:Topics";

    public TopicSettings OrderEvents { get; set; } = new() { Partitions = 6 };

    public TopicSettings DeadLetters { get; set; } = new() { Partitions = 1 };
}

public sealed class TopicSettings
{
    [Range(1, 1000)]
    public int Partitions { get; set; }

    [Range(1, 5)]
    public short ReplicationFactor { get; set; } = 1;
}
