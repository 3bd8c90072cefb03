using System.ComponentModel.DataAnnotations;

namespace OrderSaga.DevServers.Kafka;

public sealed class KafkaMockOptions
{
    public const string Section = "KafkaMock";

    /// <summary>The port clients bootstrap from (Aspire's endpoint port).</summary>
    [Range(1, 65535)]
    public int Port { get; set; }

    /// <summary>Topics created at start, as name → partition count: the mock cannot create topics on demand.</summary>
    [MinLength(1)]
    public Dictionary<string, int> Topics { get; set; } = [];

    [Range(0, 60_000)]
    public int InitialRebalanceDelayMs { get; set; } = 100;
}
