using System.Net;

namespace OrderSaga.DevServers.Kafka;

/// <summary>
/// Hosts librdkafka's mock cluster as a Kafka-protocol broker for local development. It keeps everything in
/// memory: a restart starts with empty topics, exactly as a fresh broker would.
/// </summary>
public sealed class KafkaMockServer(IOptions<KafkaMockOptions> options, ILogger<KafkaMockServer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var cluster = MockCluster.Create();
        cluster.SetInitialRebalanceDelay(TimeSpan.FromMilliseconds(settings.InitialRebalanceDelayMs));
        foreach (var (topic, partitions) in settings.Topics)
        {
            cluster.CreateTopic(topic, partitions);
            logger.LogInformation("Created topic {Topic} with {Partitions} partitions", topic, partitions);
        }

        var advertisedPort = settings.AdvertisedPort ?? settings.Port;
        cluster.AdvertiseBrokerAt("127.0.0.1", advertisedPort);
        var target = IPEndPoint.Parse(cluster.Bootstraps.Split(',')[0]);
        logger.LogInformation("Kafka mock broker ready; clients bootstrap from 127.0.0.1:{Port}", advertisedPort);

        await new TcpRelay(settings.Port, target, logger).RunAsync(stoppingToken);
    }
}
