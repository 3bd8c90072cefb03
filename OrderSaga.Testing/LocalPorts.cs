using System.Net;
using System.Net.Sockets;

namespace OrderSaga.Testing;

public static class LocalPorts
{
    /// <summary>A loopback port nothing listens on right now, for a process a test or the benchmark starts.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
