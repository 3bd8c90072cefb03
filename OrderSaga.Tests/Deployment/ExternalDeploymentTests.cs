using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using OrderSaga.Data;
using OrderSaga.Tests.Faults;
using OrderSaga.Tests.Infrastructure;
using OrderSaga.Tests.Saga;
using OrderSaga.Tests.Security;
using Xunit.Abstractions;

namespace OrderSaga.Tests.Deployment;

/// <summary>
/// Several copies at once, against servers the AppHost did not start: what a deployment on many machines must
/// survive (see <see cref="ExternalDeployment"/>). It runs an application of its own, alone.
/// </summary>
[Collection(OwnApplicationCollection.Name)]
public sealed class ExternalDeploymentTests(ExternalDeployment deployment, ITestOutputHelper output) : IClassFixture<ExternalDeployment>
{
    /// <summary>As the fault drills allow: a stopped consumer's partitions move after its group rebalances on the mock broker.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(3);

    private SagaDatabase Database { get; } = new(deployment.ConnectionStrings[ResourceNames.Database]);

    [Fact]
    public async Task Two_provisioning_runs_at_once_both_succeed_and_apply_every_migration_once()
    {
        // Both were running at once, waiting at the lock together: one went ahead, the other waited for it.
        Assert.Equal(2, deployment.ProvisioningRunsWaitingTogether);
        Assert.All(deployment.ConcurrentProvisioning, run => Assert.True(run.ExitCode == 0, run.Output));
        var migrations = typeof(OrderSagaDbContext).Assembly.GetTypes()
            .Select(type => type.GetCustomAttribute<MigrationAttribute>()?.Id).OfType<string>().Order();

        Assert.Equal(migrations, await Database.ColumnAsync("""SELECT migration_id FROM "__EFMigrationsHistory" ORDER BY migration_id"""));
    }

    [Fact]
    public void A_service_started_before_provisioning_waits_for_the_schema_and_starts_once_it_is_there()
    {
        var (before, after) = deployment.EarlyWorkerOutput;

        Assert.True(before.Contains(ExternalDeployment.WaitingForLine, StringComparison.Ordinal), before);
        Assert.DoesNotContain(ExternalDeployment.StartedLine, before);
        Assert.Contains(ExternalDeployment.StartedLine, after);
    }

    [Fact]
    public async Task An_order_placed_against_servers_the_apphost_did_not_start_ships_and_is_stored_there()
    {
        using var orders = new OrderApiClient(deployment.App.CreateHttpClient(ResourceNames.Api), deployment.Tokens, SagaAppFixture.AdminUser);

        var placed = await orders.PlaceAsync(ExternalDeployment.Crowd[0], [("prod-mouse", 1)]);
        var settled = await orders.WaitUntilSettledAsync(placed.OrderId);

        Assert.Equal("SHIPPED", settled.Status);
        Assert.Equal(["SHIPPED"], await Database.ColumnAsync("SELECT status FROM orders WHERE id = @p0", placed.OrderId));
    }

    [Fact]
    public async Task Every_replica_stopped_and_started_in_turn_under_a_steady_stream_loses_and_doubles_nothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var plenty = await Database.CreateProductAsync(stock: 1_000);
        var scarce = await Database.CreateProductAsync(stock: 25);
        string[] products = [plenty, scarce];
        var stream = new OrderStream(deployment.App.GetEndpoint(ResourceNames.Api, "http"), deployment.Tokens);

        var restarts = RollingRestartAsync(timeout.Token);
        var outcome = await stream.RunAsync(120, 15,
            i => StreamedOrder.Mixed(i, ExternalDeployment.Crowd, ExternalDeployment.DeclinedUser, plenty, scarce), restarts, timeout.Token);
        var (from, to) = await restarts;

        Assert.Equal(0, outcome.Abandoned);
        await StreamChecks.AssertOneOrderPerAcceptedRequestAsync(Database, outcome, products);
        // The restarts met orders: the stream went on placing them from the first replica stopped to the last started.
        var placedDuring = await Database.CountAsync("SELECT count(*) FROM orders WHERE id = ANY(@p0) AND created_at BETWEEN @p1 AND @p2", outcome.OrderIds, from, to);
        output.WriteLine($"{outcome.Accepted.Count} orders, {placedDuring} placed during the rolling restart ({(to - from).TotalSeconds:F0} s); "
            + $"answers on the way: {string.Join(", ", outcome.Refusals.GroupBy(r => r).Select(g => $"{g.Count()} × {g.Key}"))}");
        Assert.True(placedDuring >= 50, $"only {placedDuring} orders were placed during the rolling restart");

        var ids = outcome.OrderIds;
        await Database.WaitUntilFinalAsync(ids, SettleTimeout, timeout.Token);
        Assert.Empty(await Database.InvariantViolationsAsync(new Dictionary<string, int> { [plenty] = 1_000, [scarce] = 25 }, ids));
        var broker = new SagaBroker(deployment.ConnectionStrings[ResourceNames.Kafka]);
        var keys = ids.Select(id => id.ToString()).ToHashSet();
        Assert.DoesNotContain(broker.ReadToEnd(Topics.DeadLetters), deadLetter => keys.Contains(deadLetter.Message.Key));
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE message_key = ANY(@p0) AND redriven_at IS NOT NULL", (object)keys.ToArray()));
    }

    [Fact]
    public async Task One_users_order_limit_is_shared_by_the_api_replicas()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var token = await deployment.Tokens.ForUserAsync($"it-flooder-{Guid.NewGuid():N}");
        // Each replica flooded at its own address, in turn: with a bucket each, the user would get twice the burst.
        var replicas = (await new ResourceInstances(deployment.App).OwnAddressesAsync(ResourceNames.Api, ExternalDeployment.Replicas, timeout.Token))
            .Select(address => new HttpClient { BaseAddress = address, DefaultRequestHeaders = { Authorization = new("Bearer", token) } })
            .ToList();

        // Bodies that are refused anyway, so the flood writes nothing.
        var flood = Stopwatch.StartNew();
        var answers = new List<(int Replica, HttpStatusCode Status)>();
        for (var wave = 0; wave < 10 && !answers.Any(answer => answer.Status == HttpStatusCode.TooManyRequests); wave++)
        {
            answers.AddRange(await Task.WhenAll(Enumerable.Range(0, ExternalDeployment.OrderBurstLimit / 2).Select(async i =>
            {
                var replica = i % replicas.Count;
                using var response = await replicas[replica].PostAsync("/orders", new StringContent("""{"items":[]}""", Encoding.UTF8, "application/json"), timeout.Token);
                return (replica, response.StatusCode);
            })));
        }

        replicas.ForEach(replica => replica.Dispose());
        var allowed = answers.Count(answer => answer.Status == HttpStatusCode.BadRequest);
        var refilled = (int)Math.Ceiling(flood.Elapsed.TotalSeconds * ExternalDeployment.OrdersPerSecondLimit);
        output.WriteLine($"{allowed} of {answers.Count} let through in {flood.Elapsed.TotalSeconds:F1} s; per replica: "
            + string.Join(", ", answers.GroupBy(answer => answer.Replica).Select(replica => $"{replica.Count(answer => answer.Status == HttpStatusCode.BadRequest)} of {replica.Count()}")));
        Assert.Equal(ExternalDeployment.Replicas, answers.Where(answer => answer.Status == HttpStatusCode.BadRequest).Select(answer => answer.Replica).Distinct().Count());
        Assert.Contains(answers, answer => answer.Status == HttpStatusCode.TooManyRequests);
        Assert.InRange(allowed, ExternalDeployment.OrderBurstLimit, ExternalDeployment.OrderBurstLimit + refilled);
    }

    [Fact]
    public async Task The_services_log_in_as_a_role_that_writes_rows_and_cannot_change_the_schema()
    {
        // What every service of the deployment was handed, and took orders with.
        await using var services = new NpgsqlConnection(deployment.ConnectionStrings[ResourceNames.Database]);
        await services.OpenAsync();
        Assert.Equal(ExternalDeployment.RuntimeRole, await new NpgsqlCommand("SELECT current_user", services).ExecuteScalarAsync());
        await Database.CreateProductAsync(stock: 1);

        foreach (var change in (string[])["CREATE TABLE intruder (id int)", "DROP TABLE orders", "ALTER TABLE orders ADD COLUMN intruder int", "TRUNCATE orders"])
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(change, services).ExecuteNonQueryAsync());
            Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{change}: {refused.Message}");
        }
    }

    [Fact]
    public async Task A_migration_that_waits_for_a_lock_gives_up_instead_of_queueing_the_services_writes_behind_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var database = $"locked_{Guid.NewGuid():N}";
        await CreateDatabaseAsync(database, timeout.Token);

        // The schema of the previous release, and this build's migrations still to come.
        var previousSchema = new NpgsqlConnectionStringBuilder(deployment.Servers.ConnectionStrings[ResourceNames.Database]) { Database = database }.ConnectionString;
        await using (var db = new OrderSagaDbContext((DbContextOptions<OrderSagaDbContext>)new DbContextOptionsBuilder<OrderSagaDbContext>()
            .UseNpgsql(previousSchema).UseOrderSagaConventions().Options))
        {
            await db.GetService<IMigrator>().MigrateAsync(ShippedRelease.Previous.LastMigration, cancellationToken: timeout.Token);
        }

        // A long transaction of some service holds the table the migration must take.
        await using var holder = new NpgsqlConnection(previousSchema);
        await holder.OpenAsync(timeout.Token);
        await using var transaction = await holder.BeginTransactionAsync(timeout.Token);
        await new NpgsqlCommand("""LOCK TABLE "__EFMigrationsHistory" IN ACCESS EXCLUSIVE MODE""", holder, transaction).ExecuteNonQueryAsync(timeout.Token);

        var run = await ProvisioningJobRun.RunAsync(deployment.Servers, ExternalDeployment.Partitions, timeout.Token, database);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("lock timeout", run.Output);
    }

    [Fact]
    public async Task Pods_started_while_the_broker_is_away_are_alive_at_once_the_api_takes_orders_and_a_worker_is_ready_once_it_can_consume()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var product = await Database.CreateProductAsync(stock: 5);
        await deployment.Servers.SetBrokerDownAsync(true);
        try
        {
            // Pods rescheduled during a broker outage: the schema is there, the topics cannot be asked about.
            var (api, apiAddress) = StartService(new Projects.OrderSaga_Api(), new() { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
            var (worker, workerAddress) = StartService(new Projects.OrderSaga_Workers(), new() { [SagaRoles.ConfigurationKey] = SagaRoles.Delivery });
            using var _ = api;
            using var __ = worker;
            // As a kubelet probes them: an answer later than the probe's timeout counts as a failure.
            using var apiProbe = Prober(apiAddress);
            using var workerProbe = Prober(workerAddress);
            var startupBudget = TimeSpan.FromSeconds(Seconds("startupProbe", "periodSeconds") * Seconds("startupProbe", "failureThreshold"));

            // Within the startup probe's budget, or the kubelet restarts them: alive while they wait.
            await WaitUntilAsync(async () => await AnswersAsync(workerProbe, ServiceEndpoints.Alive) == HttpStatusCode.OK, startupBudget, worker);
            await WaitUntilAsync(async () => await AnswersAsync(apiProbe, ServiceEndpoints.Alive) == HttpStatusCode.OK, startupBudget, api);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await AnswersAsync(workerProbe, ServiceEndpoints.Health));
            Assert.DoesNotContain(ConsumingLine, worker.Output);
            // Ready once its first checks have answered (the broker's with a failure), and it stays so.
            await WaitUntilAsync(async () => await AnswersAsync(apiProbe, ServiceEndpoints.Health) == HttpStatusCode.OK, TimeSpan.FromMinutes(1), api);
            for (var i = 0; i < 3; i++)
            {
                Assert.True(await AnswersAsync(apiProbe, ServiceEndpoints.Health) == HttpStatusCode.OK, $"the api's /health:\n{api.Output}");
            }

            using var orders = new OrderApiClient(new HttpClient { BaseAddress = apiAddress }, deployment.Tokens, SagaAppFixture.AdminUser);
            var placed = await orders.PlaceAsync(ExternalDeployment.Crowd[1], [(product, 1)]);
            Assert.Equal("CREATED", placed.Status);

            await deployment.Servers.SetBrokerDownAsync(false);
            await Database.WaitUntilFinalAsync([placed.OrderId], TimeSpan.FromMinutes(2), timeout.Token);
            Assert.Equal(["SHIPPED"], await Database.ColumnAsync("SELECT status FROM orders WHERE id = @p0", placed.OrderId));
            await WaitUntilAsync(async () => await AnswersAsync(workerProbe, ServiceEndpoints.Health) == HttpStatusCode.OK, TimeSpan.FromMinutes(1), worker);
            Assert.Contains(ConsumingLine, worker.Output);
        }
        finally
        {
            await deployment.Servers.SetBrokerDownAsync(false);
        }
    }

    [Fact]
    public async Task Two_environments_with_their_own_topic_prefix_share_the_broker_and_each_keeps_to_its_topics()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        // Staging: its own database on the same server, its own topics and consumer groups on the same broker.
        var database = $"staging_{Guid.NewGuid():N}";
        await CreateDatabaseAsync(database, timeout.Token);
        var provisioning = await ProvisioningJobRun.RunAsync(deployment.Servers, ExternalDeployment.Partitions, timeout.Token, database,
            new Dictionary<string, string>(ExternalDeployment.ProvisioningSettings) { [SagaTopics.PrefixKey] = ExternalDeployment.SecondEnvironmentTopicPrefix });
        Assert.True(provisioning.ExitCode == 0, provisioning.Output);
        var stagingConnection = new NpgsqlConnectionStringBuilder(deployment.ConnectionStrings[ResourceNames.Database]) { Database = database }.ConnectionString;
        var stagingDatabase = new SagaDatabase(stagingConnection);
        var staging = new Dictionary<string, string>
        {
            [$"ConnectionStrings:{ResourceNames.Database}"] = stagingConnection,
            [SagaTopics.PrefixKey] = ExternalDeployment.SecondEnvironmentTopicPrefix,
            ["Consumer:GroupIdPrefix"] = "staging-",
            ["Payment:AlwaysApproveUsers:0"] = ExternalDeployment.Crowd[2],
        };
        var (api, apiAddress) = StartService(new Projects.OrderSaga_Api(), new(staging) { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        var (workers, _) = StartService(new Projects.OrderSaga_Workers(), new(staging) { [SagaRoles.ConfigurationKey] = string.Join(",", SagaRoles.Consumers) });
        using var _ = api;
        using var __ = workers;
        using var stagingProbe = Prober(apiAddress);
        await WaitUntilAsync(async () => await AnswersAsync(stagingProbe, ServiceEndpoints.Health) == HttpStatusCode.OK, TimeSpan.FromMinutes(2), api);

        using var stagingOrders = new OrderApiClient(new HttpClient { BaseAddress = apiAddress }, deployment.Tokens, SagaAppFixture.AdminUser);
        var stagingOrder = await stagingOrders.PlaceAsync(ExternalDeployment.Crowd[2], [(await stagingDatabase.CreateProductAsync(stock: 5), 1)]);
        using var productionOrders = new OrderApiClient(deployment.App.CreateHttpClient(ResourceNames.Api), deployment.Tokens, SagaAppFixture.AdminUser);
        var productionOrder = await productionOrders.PlaceAsync(ExternalDeployment.Crowd[2], [(await Database.CreateProductAsync(stock: 5), 1)]);

        await stagingDatabase.WaitUntilFinalAsync([stagingOrder.OrderId], TimeSpan.FromMinutes(2), timeout.Token);
        await Database.WaitUntilFinalAsync([productionOrder.OrderId], TimeSpan.FromMinutes(2), timeout.Token);
        Assert.Equal(["SHIPPED"], await stagingDatabase.ColumnAsync("SELECT status FROM orders WHERE id = @p0", stagingOrder.OrderId));
        Assert.Equal(["SHIPPED"], await Database.ColumnAsync("SELECT status FROM orders WHERE id = @p0", productionOrder.OrderId));
        var broker = new SagaBroker(deployment.ConnectionStrings[ResourceNames.Kafka]);
        var onStaging = broker.ReadToEnd(SagaTopics.WithPrefix(ExternalDeployment.SecondEnvironmentTopicPrefix).OrderEvents).Select(message => message.Message.Key).ToHashSet();
        var onProduction = broker.ReadToEnd(Topics.OrderEvents).Select(message => message.Message.Key).ToHashSet();
        Assert.True(onStaging.Contains(stagingOrder.OrderId.ToString()) && !onStaging.Contains(productionOrder.OrderId.ToString()), "staging's topic holds other events than staging's");
        Assert.True(onProduction.Contains(productionOrder.OrderId.ToString()) && !onProduction.Contains(stagingOrder.OrderId.ToString()), "production's topic holds other events than production's");
    }

    private async Task CreateDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        var server = new NpgsqlConnectionStringBuilder(deployment.Servers.ConnectionStrings[ResourceNames.Database]) { Database = "postgres" };
        await using var admin = new NpgsqlConnection(server.ConnectionString);
        await admin.OpenAsync(cancellationToken);
        await new NpgsqlCommand($"CREATE DATABASE {database}", admin).ExecuteNonQueryAsync(cancellationToken);
    }

    private const string ConsumingLine = "Consuming order-events";

    private (StandAloneProcess Process, Uri Address) StartService(IProjectMetadata project, Dictionary<string, string> settings)
    {
        var address = new Uri($"http://127.0.0.1:{LocalPorts.Free()}");
        var all = new Dictionary<string, string>(deployment.ServiceSettings()) { ["ASPNETCORE_URLS"] = address.ToString() };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return (StandAloneProcess.Start(project, all), address);
    }

    private static HttpClient Prober(Uri address) =>
        new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(Seconds("readinessProbe", "timeoutSeconds")) };

    /// <summary>The probe's answer, or none (0) when the process does not listen yet or answers too late.</summary>
    private static async Task<HttpStatusCode> AnswersAsync(HttpClient probe, string path)
    {
        try
        {
            using var response = await probe.GetAsync(path);
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan within, StandAloneProcess service)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < within, $"not within {within}:{Environment.NewLine}{service.Output}");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task An_api_outside_Development_takes_the_tokens_its_authority_signs_and_no_others()
    {
        const string audience = "ordersaga-api";
        const string user = "it-production-user";
        using var authority = LocalIdentityProvider.Start(audience);
        var address = new Uri($"http://127.0.0.1:{LocalPorts.Free()}");
        using var api = StandAloneProcess.Start(new Projects.OrderSaga_Api(), new Dictionary<string, string>(deployment.ServiceSettings())
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = address.ToString(),
            ["Authentication:Schemes:Bearer:Authority"] = authority.Issuer,
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = audience,
            // The stand-in provider speaks plain HTTP on loopback; a real authority answers HTTPS, as the default requires.
            ["Authentication:Schemes:Bearer:RequireHttpsMetadata"] = "false",
        });
        using var http = new HttpClient { BaseAddress = address };
        await WaitUntilAsync(async () => await AnswersAsync(http, ServiceEndpoints.Alive) == HttpStatusCode.OK, TimeSpan.FromSeconds(90), api);

        // Signed by the authority: let in, and the empty order itself is what is refused.
        Assert.Equal(HttpStatusCode.BadRequest, await PostEmptyOrderAsync(http, authority.Issue(user)));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostEmptyOrderAsync(http, authority.IssueWithForeignKey(user)));
        // Development's signing key is no key of a production api.
        Assert.Equal(HttpStatusCode.Unauthorized, await PostEmptyOrderAsync(http, await deployment.Tokens.ForUserAsync(user)));
    }

    private static async Task<HttpStatusCode> PostEmptyOrderAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new StringContent("""{"items":[]}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>
    /// Stops (SIGTERM) and starts again each replica of the api and of every saga role in turn, as a rolling update
    /// does: the services one after another each, all of them at once (as independent Deployments roll). Returns
    /// when the first replica was stopped and when the last was healthy again.
    /// </summary>
    private async Task<(DateTimeOffset From, DateTimeOffset To)> RollingRestartAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var from = DateTimeOffset.UtcNow;
        var instances = new ResourceInstances(deployment.App);
        await Task.WhenAll(((string[])[ResourceNames.Api, .. SagaRoles.Consumers]).Select(async resource =>
        {
            var restarted = new List<string>();
            for (var replica = 0; replica < ExternalDeployment.Replicas; replica++)
            {
                var instance = await instances.SignalAsync(resource, "TERM", cancellationToken, restarted);
                await instances.StartAsync(resource, instance, cancellationToken);
                restarted.Add(instance);
            }
        }));
        return (from, DateTimeOffset.UtcNow);
    }

    /// <summary>A setting of the api's probes in deploy/, in seconds.</summary>
    private static double Seconds(string probe, string field) =>
        double.Parse((string)RenderedManifests.Base().OfKind("Deployment").Single(deployment => (string)deployment["metadata"]!["name"]! == ResourceNames.Api)
            ["spec"]!["template"]!["spec"]!["containers"]![0]![probe]![field]!);
}
