using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace OrderSaga.Tests.Unit;

/// <summary>
/// A service whose dependencies do not answer yet listens at once: alive (an orchestrator must not restart it), not
/// ready, and its own work waits for them.
/// </summary>
public sealed class GatedStartTests
{
    [Fact]
    public async Task Until_its_dependencies_answer_a_service_is_alive_not_ready_and_its_own_work_waits()
    {
        var databaseAnswers = false;
        var work = new RecordedWork();
        await using var app = Service(
            () => databaseAnswers ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("connection refused"),
            work);

        // The host's start does not wait for the database: the web server listens.
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        using var client = app.GetTestClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);
        Assert.False(work.Started.Task.IsCompleted, "the service's work started before its database answered");

        databaseAnswers = true;
        await work.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilReadyAsync(client);

        await app.StopAsync();
        Assert.True(work.Stopped, "the gated work was not stopped with the host");
    }

    [Fact]
    public async Task Gated_work_that_fails_stops_the_service_as_it_would_ungated()
    {
        var work = new RecordedWork(fails: true);
        await using var app = Service(() => HealthCheckResult.Healthy(), work);
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var stopped = new TaskCompletionSource();
        stopping.Register(stopped.SetResult);

        await app.StartAsync();

        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static WebApplication Service(Func<HealthCheckResult> database, RecordedWork work)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("database", database);
        builder.Services.AddGatedHostedService(_ => work);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        return app;
    }

    private static async Task WaitUntilReadyAsync(HttpClient client)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await client.GetAsync("/health", deadline.Token)).StatusCode != HttpStatusCode.OK)
        {
            await Task.Delay(100, deadline.Token);
        }
    }

    private sealed class RecordedWork(bool fails = false) : BackgroundService
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Stopped { get; private set; }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            Started.SetResult();
            await Task.Yield();
            if (fails)
            {
                throw new InvalidOperationException("the work's loop failed");
            }

            await Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => Stopped = true, TaskScheduler.Default);
        }
    }
}
