using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace OrderSaga.Tests.Unit;

/// <summary>The service defaults keep health probes, and the dependency calls of their checks, out of the traces.</summary>
public sealed class HealthProbeTracingTests
{
    // Named like our own sources, which the service defaults trace.
    private static readonly ActivitySource Dependency = new("OrderSaga.Tests.Dependency");

    [Fact]
    public async Task Health_probes_leave_no_spans_while_requests_keep_theirs()
    {
        var exported = new List<Activity>();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("dependency", () =>
        {
            using var ping = Dependency.StartActivity("PING from a health check");
            return HealthCheckResult.Healthy();
        });
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported));
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/work", () =>
        {
            using var ping = Dependency.StartActivity("PING from a request");
            return "done";
        });
        await app.StartAsync();
        using var client = app.GetTestClient();

        foreach (var probe in new[] { "/health", "/alive" })
        {
            // The AppHost's probes may carry a sampled trace context of their own.
            using var request = new HttpRequestMessage(HttpMethod.Get, probe);
            request.Headers.Add("traceparent", $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01");
            (await client.SendAsync(request)).EnsureSuccessStatusCode();
        }

        Assert.Equal("done", await client.GetStringAsync("/work"));
        // A request's own span ends just after its response is sent; once the host has stopped, all have ended.
        await app.StopAsync();
        // Its tracer provider goes with it: the spans of tests running beside this one stop arriving in the list.
        await app.DisposeAsync();

        Assert.DoesNotContain(exported, span => span.DisplayName.Contains("health", StringComparison.OrdinalIgnoreCase) || span.DisplayName.Contains("alive"));
        Assert.Equal(["PING from a request"], exported.Where(span => span.Source == Dependency).Select(span => span.DisplayName));
    }
}
