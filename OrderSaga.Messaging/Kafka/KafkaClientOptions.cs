namespace OrderSaga.Messaging.Kafka;

/// <summary>
/// librdkafka settings from configuration: <c>Kafka:Producer</c> and <c>Kafka:Consumer</c> hold raw librdkafka
/// keys (e.g. <c>linger.ms</c>) that override the defaults chosen here.
/// </summary>
public sealed class KafkaClientOptions
{
    public const string Section = "Kafka";

    public string BootstrapServers { get; set; } = "";

    public Dictionary<string, string> Producer { get; set; } = [];

    public Dictionary<string, string> Consumer { get; set; } = [];
}
