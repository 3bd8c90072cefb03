using System.ComponentModel.DataAnnotations;
using OrderSaga.Topology;

namespace OrderSaga.Workers.Provisioning;

/// <summary>
/// How the provisioning job makes the topics (section <c>Kafka</c>): <see cref="Partitions"/> of <c>order-events</c>
/// (<see cref="Topics.PartitionsKey"/>); the dead letters take one, as they are read rarely and in no order. The
/// replication defaults suit a cluster of three brokers or more; the AppHost sets one copy on its single broker.
/// </summary>
public sealed class TopicOptions : IValidatableObject
{
    public const string Section = "Kafka";

    [Range(1, 1000)]
    public int Partitions { get; set; } = 6;

    /// <summary>How many brokers keep each partition (<see cref="Topics.ReplicationFactorKey"/>).</summary>
    [Range(1, 5)]
    public short ReplicationFactor { get; set; } = 3;

    /// <summary>
    /// How many copies must have a write before the producer's <c>acks=all</c> is answered
    /// (<see cref="Topics.MinInsyncReplicasKey"/>): with 3 copies and 2, one broker may be down and no acknowledged
    /// event lives on one disk only. Set only when above 1; Redpanda, which replicates by majority, takes 1.
    /// </summary>
    [Range(1, 5)]
    public int MinInsyncReplicas { get; set; } = 2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinInsyncReplicas > ReplicationFactor)
        {
            yield return new ValidationResult(
                $"{Topics.MinInsyncReplicasKey} ({MinInsyncReplicas}) is more than {Topics.ReplicationFactorKey} ({ReplicationFactor}): no write could ever be acknowledged.",
                [nameof(MinInsyncReplicas)]);
        }
    }

    /// <summary>The topic as the broker is asked to create it.</summary>
    public Confluent.Kafka.Admin.TopicSpecification Specification(string name, int partitions) => new()
    {
        Name = name,
        NumPartitions = partitions,
        ReplicationFactor = ReplicationFactor,
        Configs = MinInsyncReplicas > 1 ? new() { ["min.insync.replicas"] = MinInsyncReplicas.ToString() } : null,
    };
}
