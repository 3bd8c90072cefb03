using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using OrderSaga.Messaging.Hosting;

namespace OrderSaga.Tests.Unit;

/// <summary>Housekeeping rounds (the roles' deferral polls every second among them) leave no traces of their own.</summary>
public sealed class PeriodicJobTracingTests
{
    // Named like our own sources, which the service defaults trace, as Npgsql's and our messaging's spans would be.
    private static readonly ActivitySource Dependency = new("OrderSaga.Tests.PeriodicDependency");

    [Fact]
    public async Task A_periodic_job_s_rounds_and_the_calls_they_make_are_not_traced()
    {
        var exported = new List<Activity>();
        var builder = Host.CreateApplicationBuilder();
        builder.AddServiceDefaults();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported));
        var rounds = new CountedRounds(3);
        builder.Services.AddSingleton(rounds);
        builder.Services.AddHostedService<PollingJob>();
        using var host = builder.Build();

        await host.StartAsync();
        await rounds.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await host.StopAsync();
        // Its tracer provider goes with it: spans of tests running beside this one stop arriving in the list.
        host.Dispose();

        Assert.DoesNotContain(exported, span => span.Source == Dependency);
    }

    private sealed class CountedRounds(int rounds)
    {
        private int _left = rounds;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Ran()
        {
            if (Interlocked.Decrement(ref _left) == 0)
            {
                Done.TrySetResult();
            }
        }
    }

    private sealed class PollingJob(CountedRounds rounds, ILogger<PollingJob> logger) : PeriodicJob(TimeProvider.System, logger)
    {
        protected override TimeSpan Interval => TimeSpan.FromMilliseconds(20);

        protected override async Task RunOnceAsync(CancellationToken cancellationToken)
        {
            using (Dependency.StartActivity("SELECT due rows"))
            {
                await Task.Yield();
            }

            rounds.Ran();
        }
    }
}
