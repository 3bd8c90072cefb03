namespace OrderSaga.Messaging.Kafka;

/// <summary>
/// librdkafka settings from configuration, as raw librdkafka keys: <c>Kafka:Client</c> for every client (a managed
/// cluster's <c>security.protocol</c>, <c>sasl.*</c>, <c>ssl.*</c>, said once), then <c>Kafka:Producer</c> and
/// <c>Kafka:Consumer</c> (e.g. <c>linger.ms</c>), which override the defaults chosen here and the client section.
/// </summary>
public sealed class KafkaClientOptions
{
    public const string Section = "Kafka";

    public string BootstrapServers { get; set; } = "";

    public Dictionary<string, string> Client { get; set; } = [];

    public Dictionary<string, string> Producer { get; set; } = [];

    public Dictionary<string, string> Consumer { get; set; } = [];
}
