using System.Globalization;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using OrderSaga.Topology;

namespace OrderSaga.Benchmarks;

/// <summary>Requests the broker had been sent at one moment: fetches, produces, and every kind together.</summary>
public sealed record BrokerRequestCount(long Fetches, long Produces, long All);

/// <summary>
/// What the local broker has been asked, from the counts its dev server logs at Debug every second while they move
/// (the benchmark turns that level on for it): so the benchmark counts fetches without a client of its own.
/// </summary>
public sealed partial class BrokerRequests(DistributedApplication app)
{
    /// <summary>The setting that makes the Kafka dev server log its counts.</summary>
    public const string DebugLogSetting = "Logging__LogLevel__OrderSaga.DevServers.Kafka.KafkaMockServer";

    public async Task<BrokerRequestCount?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!app.ResourceNotifications.TryGetCurrentState(ResourceNames.Kafka, out var state))
        {
            return null;
        }

        BrokerRequestCount? latest = null;
        await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(state.ResourceId).WithCancellation(cancellationToken))
        {
            foreach (var line in batch)
            {
                if (Counts().Match(line.Content) is { Success: true } counts)
                {
                    latest = new BrokerRequestCount(Number(counts, "fetches"), Number(counts, "produces"), Number(counts, "all"));
                }
            }
        }

        return latest;
    }

    private static long Number(Match match, string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Requests relayed: (?<fetches>\d+) fetches, (?<produces>\d+) produces, (?<all>\d+) in all")]
    private static partial Regex Counts();
}
