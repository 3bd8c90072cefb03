using System.ComponentModel.DataAnnotations;

namespace OrderSaga.Workers.Provisioning;

/// <summary>
/// How the provisioning job makes the topics (section <c>Kafka</c>): <see cref="Partitions"/> of <c>order-events</c>
/// (<see cref="OrderSaga.Topology.Topics.PartitionsKey"/>); the dead letters take one, as they are read rarely and
/// in no order.
/// </summary>
public sealed class TopicOptions
{
    public const string Section = "Kafka";

    [Range(1, 1000)]
    public int Partitions { get; set; } = 6;

    [Range(1, 5)]
    public short ReplicationFactor { get; set; } = 1;
}
