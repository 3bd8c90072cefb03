using System.Net;

namespace OrderSaga.AppHost.HealthChecks;

/// <summary>
/// Whether a broker's metadata sends clients back to the address they dialled. A broker that advertises another
/// address (a stale port, a second broker on the same port) answers metadata fine, yet every client that follows
/// it then fails: such a broker is not healthy.
/// </summary>
public static class AdvertisedBrokers
{
    /// <summary>Null when a broker advertises the bootstrap address; otherwise what is wrong.</summary>
    public static string? Mismatch(string bootstrapServers, IReadOnlyCollection<(string Host, int Port)> advertised)
    {
        if (advertised.Count == 0)
        {
            return "the broker answered without any broker in its metadata";
        }

        var dialled = bootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Parse)
            .ToList();
        return advertised.Any(broker => dialled.Any(address => SameAddress(address, broker))) ? null
            : $"the broker advertises {string.Join(", ", advertised.Select(b => $"{b.Host}:{b.Port}"))}, but clients connect to {bootstrapServers}";
    }

    private static (string Host, int Port) Parse(string address)
    {
        var separator = address.LastIndexOf(':');
        return separator > 0 && int.TryParse(address[(separator + 1)..], out var port)
            ? (address[..separator].Trim('[', ']'), port)
            : (address, -1);
    }

    private static bool SameAddress((string Host, int Port) a, (string Host, int Port) b) =>
        a.Port == b.Port && (string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) || (IsLoopback(a.Host) && IsLoopback(b.Host)));

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
