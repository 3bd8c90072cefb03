using Confluent.Kafka;

namespace OrderSaga.Messaging.Kafka;

public static class ExistingTopics
{
    /// <summary>
    /// The topics the broker has, with their partition counts. Read from the metadata of every topic, not of the ones
    /// wanted: asking a broker for a topic by name may create it.
    /// </summary>
    public static Dictionary<string, int> Read(IAdminClient admin, TimeSpan timeout) => In(admin.GetMetadata(timeout));

    /// <summary>The topics of metadata read for every topic.</summary>
    public static Dictionary<string, int> In(Metadata metadata) =>
        metadata.Topics
            .Where(topic => topic.Error.Code == ErrorCode.NoError)
            .ToDictionary(topic => topic.Topic, topic => topic.Partitions.Count);
}
