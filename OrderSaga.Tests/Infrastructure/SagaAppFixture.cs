using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Headers;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Testing;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// The whole application, started once through the real AppHost in local mode (real PostgreSQL, Garnet and the
/// Kafka-protocol mock broker), shared by every integration test in the <see cref="SagaAppCollection"/>.
/// </summary>
public sealed class SagaAppFixture : IAsyncLifetime
{
    public static readonly string[] ServerResources = [ResourceNames.Kafka, ResourceNames.Postgres, ResourceNames.Database, ResourceNames.Redis];
    public static readonly string[] ServiceResources = [ResourceNames.Api, ResourceNames.Operator, .. SagaRoles.Consumers];

    /// <summary>A topic only tests use, so checking the broker does not put foreign messages on the saga's topic.</summary>
    public const string SmokeTopic = "smoke-test";

    /// <summary>Users the payment service always approves or declines here, set like any deployment would set them.</summary>
    public const string ApprovedUser = "it-approved";
    public const string DeclinedUser = "it-declined";

    /// <summary>More always-approved customers, for tests that order more than one user's rate limit allows.</summary>
    public static readonly string[] ApprovedCrowd = [.. Enumerable.Range(1, 5).Select(i => $"it-crowd-{i}")];

    /// <summary>How many orders one user may place at once before the rate limit answers 429.</summary>
    public const int OrderBurstLimit = 200;

    public const int InventoryReplicas = 2;

    /// <summary>How long a producer tries to deliver a message before it reports it failed, short so a drill outlasts it.</summary>
    public static readonly TimeSpan ProducerMessageTimeout = TimeSpan.FromSeconds(5);

    /// <summary>An operator: a token with the admin role.</summary>
    public const string AdminUser = "it-operator";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private SagaAppRun? _app;

    /// <summary>Bearer tokens from <c>dotnet user-jwts</c>, as the README tells a user to get them.</summary>
    public TestTokens Tokens { get; } = TestTokens.ForApi();

    public DistributedApplication App => _app?.App ?? throw new InvalidOperationException("The application has not started.");

    public async Task InitializeAsync()
    {
        // The first token creates the signing key in the api's user secrets, which the api reads as it starts.
        await Tokens.ForAdminAsync(AdminUser);
        using var timeout = new CancellationTokenSource(StartTimeout);
        _app = await SagaAppRun.StartLocalAsync(
            [
                // Every commit that publishes must wake its relay at once; with a poll this long, one that does not
                // holds its order for minutes and the saga tests fail.
                "Outbox:PollInterval=00:05:00",
                // Out of reach of every test: at-least-once delivery alone must bring each order home. A test about
                // lost events asks for a re-drive itself (POST /operator/stuck-orders/redrive).
                "StuckOrders:After=01:00:00",
                "Reconciler:Interval=00:00:01",
                // Far beyond any test's orders, even on a slow machine; the give-up tests backdate theirs.
                "Reconciler:GiveUpAfter=00:05:00",
                "Retention:Interval=00:00:01",
                // A database command is given up within about a second, so the PostgreSQL drill's outage outlasts the
                // retries: the api answers 503 and consumers rewind and wait, the paths an outage takes in production.
                "Database:Retry:MaxRetryCount=3",
                "Database:Retry:MaxRetryDelay=00:00:00.400",
                // Low enough that a test can run into it, high enough for every other test's orders.
                $"RateLimiting:Orders:Burst={OrderBurstLimit}",
                "RateLimiting:Orders:PerSecond=50",
                // The slow rounds of the retry schedule in seconds, not minutes.
                "Consumer:RetrySchedule:0=00:00:02",
                "Consumer:RetrySchedule:1=00:00:04",
                $"Kafka:Producer:message.timeout.ms={ProducerMessageTimeout.TotalMilliseconds}",
                // Two inventory consumers take stock side by side, so the stock SQL meets real races.
                $"Scale:{SagaRoles.Inventory}={InventoryReplicas}",
            ],
            ServerResources.Concat(ServiceResources),
            StartTimeout,
            timeout.Token,
            builder =>
            {
                builder.CreateResourceBuilder<DevServerResource>(ResourceNames.Kafka)
                    .WithEnvironment($"KafkaMock__Topics__{SmokeTopic}", "1");
                builder.CreateResourceBuilder<ProjectResource>(SagaRoles.Payment)
                    .WithEnvironment("Payment__AlwaysApproveUsers__0", ApprovedUser)
                    .WithEnvironment(context =>
                    {
                        for (var i = 0; i < ApprovedCrowd.Length; i++)
                        {
                            context.EnvironmentVariables[$"Payment__AlwaysApproveUsers__{i + 1}"] = ApprovedCrowd[i];
                        }
                    })
                    .WithEnvironment("Payment__AlwaysDeclineUsers__0", DeclinedUser);
            });
        await App.ResourceNotifications.WaitForResourceAsync(ResourceNames.Provisioning, KnownResourceStates.Finished, timeout.Token);
        StartupLogs = await StartupLogs.ReadAsync(App, timeout.Token);
    }

    /// <summary>The services' local application data folder, empty when they started.</summary>
    public string? UserData => _app?.UserData;

    /// <summary>What every resource wrote to its console from the start until all were healthy.</summary>
    public StartupLogs StartupLogs { get; private set; } = StartupLogs.Empty;

    /// <summary>The id a resource's single process runs and logs under (<c>api-x7k2…</c>).</summary>
    public string ResourceId(string resource) =>
        App.ResourceNotifications.TryGetCurrentState(resource, out var state) ? state.ResourceId : resource;

    /// <summary>The running instances of the application's resources, to signal and start again.</summary>
    public ResourceInstances Instances => new(App);

    /// <inheritdoc cref="ResourceInstances.ProcessId"/>
    public int ProcessId(string resource) => Instances.ProcessId(resource);

    /// <inheritdoc cref="ResourceInstances.SignalAsync"/>
    public Task<string> SignalServiceAsync(string resource, string signal, CancellationToken cancellationToken, IReadOnlyCollection<string>? except = null) =>
        Instances.SignalAsync(resource, signal, cancellationToken, except);

    /// <summary>Sends <paramref name="signal"/> to every instance of a service, as <see cref="SignalServiceAsync"/> does to one; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> SignalEveryInstanceAsync(string resource, string signal, CancellationToken cancellationToken)
    {
        var instances = new List<string>();
        for (var i = 0; i < (resource == SagaRoles.Inventory ? InventoryReplicas : 1); i++)
        {
            instances.Add(await SignalServiceAsync(resource, signal, cancellationToken, instances));
        }

        return instances;
    }

    /// <inheritdoc cref="ResourceInstances.StartAsync"/>
    public Task StartInstanceAsync(string resource, string instanceId, CancellationToken cancellationToken, params string[] dependents) =>
        Instances.StartAsync(resource, instanceId, cancellationToken, dependents);

    /// <summary>A client of the api that sends no token: for public endpoints and for checking that the others refuse it.</summary>
    public HttpClient CreateApiClient() => App.CreateHttpClient(ResourceNames.Api);

    /// <summary>A client of the operator console that sends no token.</summary>
    public HttpClient CreateOperatorClient() => App.CreateHttpClient(ResourceNames.Operator);

    /// <summary>
    /// A client of the api that signs every request in as <paramref name="userId"/>. Unless <paramref name="retries"/>,
    /// it reports every answer as it comes instead of retrying 429s and 5xx the way Aspire's resilient client does.
    /// </summary>
    public async Task<HttpClient> CreateApiClientAsync(string userId, bool retries = true) =>
        SignedIn(ResourceNames.Api, await Tokens.ForUserAsync(userId), retries);

    /// <summary>A client of the api signed in as <see cref="AdminUser"/>, with the admin role.</summary>
    public async Task<HttpClient> CreateAdminApiClientAsync() =>
        SignedIn(ResourceNames.Api, await Tokens.ForAdminAsync(AdminUser), retries: true);

    /// <summary>A client of the operator console signed in as <see cref="AdminUser"/>, with the admin role.</summary>
    public async Task<HttpClient> CreateOperatorClientAsync(bool retries = true) =>
        SignedIn(ResourceNames.Operator, await Tokens.ForAdminAsync(AdminUser), retries);

    /// <summary>A client of the operator console signed in as <paramref name="userId"/>, without the admin role.</summary>
    public async Task<HttpClient> CreateOperatorClientAsync(string userId) =>
        SignedIn(ResourceNames.Operator, await Tokens.ForUserAsync(userId), retries: false);

    private HttpClient SignedIn(string resource, string token, bool retries)
    {
        var client = retries ? App.CreateHttpClient(resource) : new HttpClient { BaseAddress = App.GetEndpoint(resource, "http") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Every line one instance of a resource has written to its console so far.</summary>
    public async Task<IReadOnlyList<string>> ConsoleLinesAsync(string instanceId, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        await foreach (var batch in App.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(instanceId).WithCancellation(cancellationToken))
        {
            lines.AddRange(batch.Select(line => line.Content));
        }

        return lines;
    }

    public async Task<string> ConnectionStringAsync(string resource) =>
        await App.GetConnectionStringAsync(resource) ?? throw new InvalidOperationException($"{resource} has no connection string");

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SagaAppCollection : ICollectionFixture<SagaAppFixture>
{
    public const string Name = "Saga application";
}
