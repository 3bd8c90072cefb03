namespace OrderSaga.Topology;

/// <summary>
/// The saga's topics as this environment names them: <see cref="PrefixKey"/> before the names of <see cref="Topics"/>,
/// so environments (staging, production) can share one Kafka cluster. Every producer, consumer, check, the
/// provisioning job and the console take their names from here.
/// </summary>
public sealed record SagaTopics(string OrderEvents, string DeadLetters)
{
    public const string PrefixKey = "Kafka:TopicPrefix";

    public static SagaTopics WithPrefix(string? prefix) => new(prefix + Topics.OrderEvents, prefix + Topics.DeadLetters);

    public IReadOnlyList<string> All => [OrderEvents, DeadLetters];
}
