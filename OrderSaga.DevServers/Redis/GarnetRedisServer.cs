using Garnet;

namespace OrderSaga.DevServers.Redis;

/// <summary>A Redis-protocol server (Microsoft Garnet) for machines without Redis or containers.</summary>
public sealed class GarnetRedisServer(IOptions<GarnetOptions> options, ILoggerFactory loggerFactory) : IHostedService, IDisposable
{
    private GarnetServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var port = options.Value.Port;
        // Redis runs a script atomically; Garnet does so only in transaction mode (the keys a script names are locked
        // while it runs). Without it, two api replicas taking a token from one user's bucket at once both saw the
        // same count.
        _server = new GarnetServer(["--port", port.ToString(), "--bind", "127.0.0.1", "--lua", "true", "--lua-transaction-mode", "true"], loggerFactory);
        _server.Start();
        loggerFactory.CreateLogger<GarnetRedisServer>().LogInformation("Garnet answers the Redis protocol on 127.0.0.1:{Port}", port);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _server?.Dispose();
        _server = null;
    }
}
