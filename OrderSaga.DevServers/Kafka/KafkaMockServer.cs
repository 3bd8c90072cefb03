using System.Net;
using System.Runtime.InteropServices;

namespace OrderSaga.DevServers.Kafka;

/// <summary>
/// Hosts librdkafka's mock cluster as a Kafka-protocol broker for local development. It keeps everything in
/// memory: a restart starts with empty topics, exactly as a fresh broker would. SIGUSR1 takes the broker down and
/// SIGUSR2 brings it back with everything it held, which a restart of this process cannot do: a broker outage that
/// loses nothing, for fault drills.
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

        using var takeDown = PosixSignalRegistration.Create(BrokerDown, context => SetDown(cluster, context, down: true));
        using var bringUp = PosixSignalRegistration.Create(BrokerUp, context => SetDown(cluster, context, down: false));

        // Every request goes through the relay, not only bootstrapping: the mock's own listener takes a random port
        // each start, and a client that learned that address from metadata would still be calling it after a
        // restart (librdkafka re-bootstraps only after minutes). A real broker keeps its address across restarts.
        var target = IPEndPoint.Parse(cluster.Bootstraps.Split(',')[0]);
        cluster.AdvertiseAt(settings.Port);
        logger.LogInformation("Kafka mock broker ready at {Broker}; clients bootstrap from 127.0.0.1:{Port}", target, settings.Port);

        using var pauses = new PauseWatch(PauseTolerance, pause =>
        {
            logger.LogWarning("The broker was paused for {Pause:F0} s; closing every connection so that clients reconnect", pause.TotalSeconds);
            cluster.SetBrokerDown(true);
            cluster.SetBrokerDown(false);
        });
        await new KafkaRelay(settings.Port, target, logger).RunAsync(stoppingToken);
    }

    /// <summary>
    /// A debugger's pause or a SIGSTOP halts this process while its clients' sessions and requests time out:
    /// afterwards the mock holds connections and group sessions its clients have given up on, and the groups' commits
    /// stall. The pause is answered as a broker restart that keeps its data would be: every connection closed, so
    /// clients reconnect and rejoin their groups. Far longer than a busy machine keeps a thread from running.
    /// </summary>
    private static readonly TimeSpan PauseTolerance = TimeSpan.FromSeconds(15);

    // Raw signal numbers: .NET names only the signals it handles itself.
    private const PosixSignal BrokerDown = (PosixSignal)10;
    private const PosixSignal BrokerUp = (PosixSignal)12;

    private void SetDown(MockCluster cluster, PosixSignalContext context, bool down)
    {
        // Handled: by default SIGUSR1 and SIGUSR2 end the process.
        context.Cancel = true;
        cluster.SetBrokerDown(down);
        if (down)
        {
            logger.LogInformation("Broker taken down (SIGUSR1): connections closed, everything it holds kept");
        }
        else
        {
            logger.LogInformation("Broker up again (SIGUSR2)");
        }
    }
}
