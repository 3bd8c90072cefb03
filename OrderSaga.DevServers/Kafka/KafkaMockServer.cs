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

        // Only bootstrapping goes through the relay: the mock advertises its own listener, so once a client has
        // read metadata its requests reach the mock directly instead of being copied through this process.
        var target = IPEndPoint.Parse(cluster.Bootstraps.Split(',')[0]);
        logger.LogInformation("Kafka mock broker ready at {Broker}; clients bootstrap from 127.0.0.1:{Port}", target, settings.Port);

        await new TcpRelay(settings.Port, target, logger).RunAsync(stoppingToken);
    }
}
