using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OrderSaga.AppHost;

/// <summary>
/// How often a service sends its metrics to the dashboard. Aspire asks for every second while developing; every
/// service pays for each export (every instrument collected and sent) even when nothing happens, so ours export
/// every five seconds unless <see cref="IntervalKey"/> says otherwise. Traces and logs still go out within a second.
/// </summary>
public static class MetricExport
{
    public const string IntervalKey = "Telemetry:MetricExportInterval";

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    public static IResourceBuilder<T> WithMetricExportInterval<T>(this IResourceBuilder<T> service, IConfiguration configuration)
        where T : IResourceWithEnvironment =>
        service.WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL",
            ((long)configuration.GetValue(IntervalKey, DefaultInterval).TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
}
