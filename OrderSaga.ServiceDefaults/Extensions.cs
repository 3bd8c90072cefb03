using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrderSaga.Topology;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every OrderSaga service shares: telemetry, health, service discovery and resilience.</summary>
public static class Extensions
{
    private const string LiveTag = "live";

    /// <summary>The share of traces kept, from 0 to 1; everything is traced unless it is set lower.</summary>
    public const string TraceSampleRatioKey = "Telemetry:TraceSampleRatio";

    /// <summary>Traces and metrics of our own code are published under this prefix.</summary>
    public const string TelemetryPrefix = "OrderSaga";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.KeepDataProtectionKeysInMemory();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter($"{TelemetryPrefix}.*"))
            .WithTracing(tracing => tracing
                // Parent-based, so a saga's trace is kept or dropped whole across every service it crosses.
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(builder.Configuration.GetValue(TraceSampleRatioKey, 1.0))))
                .AddSource(builder.Environment.ApplicationName)
                .AddSource($"{TelemetryPrefix}.*")
                .AddAspNetCoreInstrumentation(options =>
                    // Health probes every few seconds would drown the traces users came for.
                    options.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(ServiceEndpoints.Health) || path.StartsWithSegments(ServiceEndpoints.Alive);

    /// <summary>How long one health check may take before it counts as failed (its own registration may say less).</summary>
    public const string CheckTimeoutKey = "HealthChecks:CheckTimeout";

    public static readonly TimeSpan DefaultCheckTimeout = TimeSpan.FromSeconds(4);

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<StartupGate>();
        builder.Services.AddSingleton<HealthReportCache>();
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        // A hung dependency's check must end, failed, so the next report says so; until then the previous one stands.
        var checkTimeout = builder.Configuration.GetValue(CheckTimeoutKey, DefaultCheckTimeout);
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(registration => registration.Timeout <= TimeSpan.Zero || registration.Timeout > checkTimeout))
            {
                registration.Timeout = checkTimeout;
            }
        });
        // The service's own hosted services wait for it (AddGatedHostedService); the web server does not.
        builder.Services.AddHostedService<StartupHealthGate>();
        return builder;
    }

    /// <summary>
    /// Reports the failure of these health checks as Degraded rather than Unhealthy: the service still does its work
    /// without them (a cache, a broker the outbox waits for), so <c>/health</c> stays 200 and says what is missing.
    /// </summary>
    public static IServiceCollection DegradeWhenFailing(this IServiceCollection services, params string[] checkNames)
    {
        services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(registration => checkNames.Contains(registration.Name)))
            {
                registration.FailureStatus = HealthStatus.Degraded;
            }
        });
        return services;
    }

    /// <summary>
    /// <c>/health</c>: ready for traffic (every check, through <see cref="HealthReportCache"/>, so it answers within a
    /// second); <c>/alive</c>: the process responds (live checks only), from the moment the web server listens.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseWhen(context => IsHealthProbe(context.Request.Path), probe => probe.Use(async (context, next) =>
        {
            // A probe every few seconds would fill the dashboard's traces with the database and Redis calls of the
            // health checks; the probe's own request span is filtered out in ConfigureOpenTelemetry.
            using var untraced = SuppressInstrumentationScope.Begin();
            await next(context);
        }));
        app.MapGet(ServiceEndpoints.Health, async (HealthReportCache readiness, HttpContext context) =>
        {
            var report = await readiness.ReadAsync();
            context.Response.Headers.CacheControl = "no-store, no-cache";
            return Results.Text(report.Status.ToString(), statusCode: report.Status == HealthStatus.Unhealthy
                ? StatusCodes.Status503ServiceUnavailable
                : StatusCodes.Status200OK);
        });
        app.MapHealthChecks(ServiceEndpoints.Alive, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        return app;
    }
}
