using System.Diagnostics;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Testing;
using OrderSaga.Tests.Faults;
using OrderSaga.Tests.Infrastructure;
using OrderSaga.Tests.Saga;
using Xunit.Abstractions;

namespace OrderSaga.Tests.Deployment;

/// <summary>Runs only when <see cref="Variable"/> is 1: it builds the previous release and takes minutes (docs/testing.md).</summary>
public sealed class MixedVersionDrillFactAttribute : FactAttribute
{
    public const string Variable = "ORDERSAGA_MIXED_VERSION_DRILL";

    public MixedVersionDrillFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"the mixed-version drill runs with {Variable}=1";
        }
    }
}

/// <summary>
/// An upgrade while orders flow, as a rolling update does it, with the previous release (built from the repository's
/// history) and this build side by side on the same servers: all old; this build's provisioning; the api replaced;
/// each role replaced one replica at a time, so old and new share every consumer group for a while; all new; then the
/// workers rolled back to the previous release the same way. Every process runs on its own as a pod would.
/// </summary>
[Collection(OwnApplicationCollection.Name)]
public sealed class MixedVersionDrillTests(ITestOutputHelper output)
{
    private const int Partitions = 4;
    private const int Replicas = 2;
    private const int OrdersPerSecond = 15;
    private static readonly string[] Crowd = [.. Enumerable.Range(1, 4).Select(i => $"it-upgrade-{i}")];
    private const string DeclinedUser = "it-upgrade-declined";

    [MixedVersionDrillFact]
    public async Task Upgraded_and_rolled_back_replica_by_replica_while_orders_flow_loses_doubles_and_dead_letters_nothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var previous = await PreviousRelease.BuildAsync(timeout.Token);
        var tokens = TestTokens.ForApi();
        await tokens.ForAdminAsync(SagaAppFixture.AdminUser);
        using var servers = StandInServers.Start(Partitions);
        var database = new SagaDatabase(servers.ConnectionStrings[ResourceNames.Database]);
        var old = new Release(previous.Version, previous.Service("OrderSaga.Api"), previous.Service("OrderSaga.Workers"));
        var current = new Release("this build", BuiltProject.Locate(new Projects.OrderSaga_Api()), BuiltProject.Locate(new Projects.OrderSaga_Workers()));
        var api = new Uri($"http://127.0.0.1:{LocalPorts.Free()}");
        using var pods = new Pods(servers, api);

        Assert.Equal(0, await pods.ProvisionAsync(old, timeout.Token));
        var running = new Dictionary<string, List<StandAloneProcess>> { [ResourceNames.Api] = [await pods.StartAsync(old, ResourceNames.Api, timeout.Token)] };
        foreach (var role in SagaRoles.Consumers)
        {
            running[role] = [.. await Task.WhenAll(Enumerable.Range(0, Replicas).Select(_ => pods.StartAsync(old, role, timeout.Token)))];
        }

        var plenty = await database.CreateProductAsync(stock: 1_000);
        var scarce = await database.CreateProductAsync(stock: 25);
        var timeline = new List<(string Step, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        void Mark(string step) => timeline.Add((step, clock.Elapsed));

        async Task ReplaceAsync(string service, Release by)
        {
            var replicas = running[service];
            for (var replica = 0; replica < replicas.Count; replica++)
            {
                // The api has one replica on one address: the old one goes first, and patient clients retry meanwhile.
                if (service == ResourceNames.Api)
                {
                    await replicas[replica].StopAsync(timeout.Token);
                    replicas[replica] = await pods.StartAsync(by, service, timeout.Token);
                    continue;
                }

                var replacement = await pods.StartAsync(by, service, timeout.Token);
                await replicas[replica].StopAsync(timeout.Token);
                replicas[replica] = replacement;
            }
        }

        async Task UpgradeAsync()
        {
            await Task.Delay(TimeSpan.FromSeconds(5), timeout.Token);
            Mark("provisioning of this build");
            Assert.Equal(0, await pods.ProvisionAsync(current, timeout.Token));
            Mark("api replaced");
            await ReplaceAsync(ResourceNames.Api, current);
            Mark("first role replica replaced: old and new together");
            foreach (var role in SagaRoles.Consumers)
            {
                await ReplaceAsync(role, current);
            }

            Mark("all new");
            await Task.Delay(TimeSpan.FromSeconds(5), timeout.Token);
            Mark($"workers rolled back to {previous.Version}");
            foreach (var role in SagaRoles.Consumers)
            {
                await ReplaceAsync(role, old);
            }

            Mark("workers all old again");
        }

        var stream = new OrderStream(api, tokens);
        var upgrade = UpgradeAsync();
        var outcome = await stream.RunAsync(200, OrdersPerSecond, i => StreamedOrder.Mixed(i, Crowd, DeclinedUser, plenty, scarce), upgrade, timeout.Token);
        await upgrade;
        Mark("stream done");

        var ids = outcome.OrderIds;
        await database.WaitUntilFinalAsync(ids, TimeSpan.FromMinutes(3), timeout.Token);
        Mark("every order final");
        output.WriteLine($"{previous.Version} ({previous.Commit[..7]}) and this build: {outcome.Accepted.Count} orders at {OrdersPerSecond}/s; "
            + $"answers on the way: {string.Join(", ", outcome.Refusals.GroupBy(r => r).Select(g => $"{g.Count()} × {g.Key}"))}");
        foreach (var (step, at) in timeline)
        {
            output.WriteLine($"{at.TotalSeconds,6:F1} s  {step}");
        }

        Assert.Equal(0, outcome.Abandoned);
        await StreamChecks.AssertOneOrderPerAcceptedRequestAsync(database, outcome, [plenty, scarce]);
        Assert.Empty(await database.InvariantViolationsAsync(new Dictionary<string, int> { [plenty] = 1_000, [scarce] = 25 }, ids));
        var keys = ids.Select(id => id.ToString()).ToHashSet();
        var broker = new SagaBroker(servers.ConnectionStrings[ResourceNames.Kafka]);
        Assert.DoesNotContain(broker.ReadToEnd(Topics.DeadLetters), letter => keys.Contains(letter.Message.Key));
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM outbox_messages WHERE message_key = ANY(@p0) AND redriven_at IS NOT NULL", (object)keys.ToArray()));
    }

    private sealed record Release(string Name, BuiltProject Api, BuiltProject Workers);

    /// <summary>The services as pods: each its own process, configured by environment only, on the stand-in servers.</summary>
    private sealed class Pods(StandInServers servers, Uri api) : IDisposable
    {
        private readonly List<StandAloneProcess> _started = [];

        public async Task<int> ProvisionAsync(Release release, CancellationToken cancellationToken)
        {
            using var job = StandAloneProcess.Start(release.Workers, Settings(SagaRoles.Provisioning));
            return await job.WaitForExitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        }

        /// <summary>Starts one replica of a service and waits until its dependencies answered (its readiness).</summary>
        public async Task<StandAloneProcess> StartAsync(Release release, string service, CancellationToken cancellationToken)
        {
            var settings = Settings(service);
            settings["ASPNETCORE_URLS"] = service == ResourceNames.Api ? api.ToString() : "http://127.0.0.1:0";
            var process = StandAloneProcess.Start(service == ResourceNames.Api ? release.Api : release.Workers, settings);
            _started.Add(process);
            Assert.True(await process.WaitForOutputAsync(ExternalDeployment.StartedLine, TimeSpan.FromSeconds(90), cancellationToken),
                $"{service} of {release.Name} did not start:\n{process.Output}");
            return process;
        }

        private Dictionary<string, string> Settings(string service)
        {
            var settings = new Dictionary<string, string>(servers.ServiceSettings())
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["DOTNET_ENVIRONMENT"] = "Development",
                [Topics.PartitionsKey] = Partitions.ToString(),
                [Topics.ReplicationFactorKey] = "1",
                [Topics.MinInsyncReplicasKey] = "1",
                [$"Payment:AlwaysDeclineUsers:0"] = DeclinedUser,
                // Out of reach: the releases' at-least-once delivery alone must bring every order home.
                ["StuckOrders:After"] = "01:00:00",
                ["Reconciler:GiveUpAfter"] = "01:00:00",
            };
            foreach (var (user, i) in Crowd.Select((user, i) => (user, i)))
            {
                settings[$"Payment:AlwaysApproveUsers:{i}"] = user;
            }

            if (service != ResourceNames.Api)
            {
                settings[SagaRoles.ConfigurationKey] = service;
            }

            return settings;
        }

        public void Dispose()
        {
            foreach (var process in _started)
            {
                process.Dispose();
            }
        }
    }
}
