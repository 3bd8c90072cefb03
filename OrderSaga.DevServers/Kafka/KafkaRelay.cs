using System.Net;
using System.Net.Sockets;

namespace OrderSaga.DevServers.Kafka;

/// <summary>
/// Forwards every connection on a port of our choosing to the mock's own listener, which binds a random port each
/// start: the broker's address, which metadata names and a restart keeps. Each connection is relayed request by
/// request (<see cref="KafkaConnectionRelay"/>), so fetches are answered when data arrives.
/// </summary>
public sealed class KafkaRelay(int listenPort, IPEndPoint target, ILogger logger)
{
    private readonly ProducedRecords _produced = new();
    private readonly RelayedRequests _requests = new();

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, listenPort);
        listener.Start();
        logger.LogInformation("Relaying 127.0.0.1:{Port} to the mock broker at {Target}", listenPort, target);
        var counts = _requests.LogAsync(logger, TimeSpan.FromSeconds(1), stoppingToken);

        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            _ = RelayAsync(client, stoppingToken);
        }

        await counts;
    }

    private async Task RelayAsync(Socket client, CancellationToken stoppingToken)
    {
        using var clientSocket = client;
        using var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        clientSocket.NoDelay = true;
        try
        {
            await upstream.ConnectAsync(target, stoppingToken);
            await using var clientStream = new NetworkStream(clientSocket, ownsSocket: false);
            await using var upstreamStream = new NetworkStream(upstream, ownsSocket: false);
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await new KafkaConnectionRelay(clientStream, upstreamStream, _produced, _requests).RunAsync(connection.Token);
            await connection.CancelAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            logger.LogDebug(ex, "Relay connection closed");
        }
    }
}
