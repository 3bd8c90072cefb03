using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrderSaga.Benchmarks;

/// <summary>
/// Each order's trace, read back from the Aspire dashboard's telemetry API: the benchmark starts the trace itself
/// (a <c>traceparent</c> on the POST), so it knows which trace is which order's, and counts the spans every service
/// exported for it.
/// </summary>
public sealed class OrderTraces(Uri dashboard, string apiKey) : IDisposable
{
    /// <summary>The AppHost setting that gives the dashboard's telemetry API its key.</summary>
    public const string ApiKeySetting = "AppHost:DashboardApiKey";

    private readonly HttpClient _client = new() { BaseAddress = dashboard, DefaultRequestHeaders = { { "x-api-key", apiKey } } };

    /// <summary>A new trace for one order, sampled, as a <c>traceparent</c> header value.</summary>
    public static (string TraceId, string TraceParent) Start()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        return (traceId, $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
    }

    /// <summary>The spans of each of these traces by service, for the traces the dashboard still holds.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, int>>> SpansAsync(IEnumerable<string> traceIds, CancellationToken cancellationToken)
    {
        var traces = new List<IReadOnlyDictionary<string, int>>();
        foreach (var traceId in traceIds)
        {
            using var response = await _client.GetAsync($"/api/telemetry/traces/{traceId}", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                traces.Add(SpansByService(await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)));
            }
        }

        return traces;
    }

    private static Dictionary<string, int> SpansByService(JsonElement trace)
    {
        var spans = new Dictionary<string, int>();
        foreach (var resource in trace.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resource.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .Where(attribute => attribute.GetProperty("key").GetString() == "service.name")
                .Select(attribute => attribute.GetProperty("value").GetProperty("stringValue").GetString())
                .FirstOrDefault() ?? "?";
            var count = resource.GetProperty("scopeSpans").EnumerateArray().Sum(scope => scope.GetProperty("spans").GetArrayLength());
            spans[service] = spans.GetValueOrDefault(service) + count;
        }

        return spans;
    }

    public void Dispose() => _client.Dispose();
}
