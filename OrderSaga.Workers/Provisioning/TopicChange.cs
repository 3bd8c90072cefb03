using OrderSaga.Topology;

namespace OrderSaga.Workers.Provisioning;

/// <summary>What the provisioning job must do for one topic, given what the broker has.</summary>
public abstract record TopicChange(string Topic)
{
    public sealed record Create(string Topic, int Partitions) : TopicChange(Topic);

    public sealed record AddPartitions(string Topic, int From, int To) : TopicChange(Topic);

    public sealed record None(string Topic) : TopicChange(Topic);

    /// <param name="existingPartitions">The topic's partition count on the broker; null when it has no such topic.</param>
    public static TopicChange For(string topic, int wantedPartitions, int? existingPartitions) => existingPartitions switch
    {
        null => new Create(topic, wantedPartitions),
        var existing when existing < wantedPartitions => new AddPartitions(topic, existing.Value, wantedPartitions),
        var existing when existing > wantedPartitions => throw new InvalidOperationException(
            $"{topic} has {existing} partitions but {wantedPartitions} are configured ({Topics.PartitionsKey}). Kafka cannot take partitions away: " +
            $"configure {existing}, or delete the topic to start again with {wantedPartitions}."),
        _ => new None(topic),
    };
}
