using System.Diagnostics;
using System.Net;
using Aspire.Hosting.Testing;
using Npgsql;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Messaging.Events;
using OrderSaga.Tests.Infrastructure;
using OrderSaga.Tests.Saga;
using Xunit.Abstractions;

namespace OrderSaga.Tests.Faults;

/// <summary>
/// Every fault the saga must survive, each in turn under a steady stream of orders, each shown to have done harm:
/// afterwards every order is final, exactly one per accepted request, none dead-lettered, and nothing was
/// reserved, charged or shipped twice.
/// </summary>
[Collection(SagaAppCollection.Name)]
public sealed class FaultDrillTests(SagaAppFixture fixture, ITestOutputHelper output) : FaultDrillContext(fixture, output)
{
    [Theory]
    [InlineData(SagaRoles.Inventory)]
    [InlineData(SagaRoles.Payment)]
    [InlineData(SagaRoles.Delivery)]
    [InlineData(SagaRoles.StatusUpdater)]
    public async Task A_worker_killed_mid_stream_and_started_again_loses_nothing(string role)
    {
        await DrillAsync($"{role} killed (SIGKILL, every replica) and started again", async cancellationToken =>
        {
            var instances = await Fixture.SignalEveryInstanceAsync(role, "KILL", cancellationToken);
            try
            {
                await WaitUntilStalledAsync(role);
            }
            finally
            {
                await Task.WhenAll(instances.Select(instance => Fixture.StartInstanceAsync(role, instance, cancellationToken)));
            }
        });
    }

    [Fact]
    public async Task The_api_killed_mid_stream_and_started_again_answers_every_retry_with_its_first_order()
    {
        var result = await DrillAsync("api killed (SIGKILL) and started again", async cancellationToken =>
        {
            var instance = await Fixture.SignalServiceAsync(ResourceNames.Api, "KILL", cancellationToken);
            await Fixture.StartInstanceAsync(ResourceNames.Api, instance, cancellationToken);
        });

        // Clients were left without an answer while it was down, and retried with their keys.
        Assert.Contains(result.Stream.Refusals, refusal => refusal.StartsWith("no answer") || refusal.StartsWith("5"));
        var stream = new OrderStream(Fixture.App.GetEndpoint(ResourceNames.Api, "http"), Fixture.Tokens);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var replayed = await stream.ReplayAsync(result.Stream.Accepted, timeout.Token);
        Assert.Equal(result.Stream.OrderIds, replayed.Select(answer => answer?.OrderId ?? Guid.Empty));
    }

    [Fact]
    public async Task A_worker_stopped_gracefully_mid_stream_commits_what_it_applied_and_nothing_is_lost()
    {
        var unclaimedBeyondCommit = -1L;
        await DrillAsync("payment stopped gracefully (SIGTERM) and started again", async cancellationToken =>
        {
            var instance = await Fixture.SignalServiceAsync(SagaRoles.Payment, "TERM", cancellationToken);
            try
            {
                // Whatever payment charged before it left is behind its committed offsets: nothing it applied
                // is given to it again.
                var beyond = Broker.ReadFrom(Broker.Committed(SagaRoles.Payment))
                    .Where(message => SagaBroker.Header(message, MessageHeaders.EventType) == EventTypes.InventoryReserved)
                    .Select(message => Guid.Parse(SagaBroker.Header(message, MessageHeaders.EventId)))
                    .ToArray();
                unclaimedBeyondCommit = await Database.CountAsync("SELECT count(*) FROM processed_events WHERE consumer = @p0 AND event_id = ANY(@p1)",
                    SagaRoles.Payment, beyond);
                Output.WriteLine($"payment left with {beyond.Length} InventoryReserved beyond its committed offsets, {unclaimedBeyondCommit} of them charged");
                await WaitUntilStalledAsync(SagaRoles.Payment);
            }
            finally
            {
                await Fixture.StartInstanceAsync(SagaRoles.Payment, instance, cancellationToken);
            }
        });

        Assert.Equal(0, unclaimedBeyondCommit);
    }

    [Fact]
    public async Task The_broker_stopped_and_started_mid_stream_loses_nothing_once_stuck_orders_are_redriven()
    {
        await DrillAsync("broker stopped 5 s and started (the mock forgets every message)", async cancellationToken =>
        {
            await StopForAWhileAsync(ResourceNames.Kafka, cancellationToken);
        }, lostMessages: true);

        // The outage held the saga's events back: they waited in the outbox until the broker came back.
        Assert.True(await HeldInOutboxAsync(TimeSpan.FromSeconds(3)) >= 20, "no event waited for the broker");
    }

    [Fact]
    public async Task The_broker_down_past_the_producers_message_timeout_holds_no_rows_and_loses_nothing()
    {
        var outage = SagaAppFixture.ProducerMessageTimeout * 4;
        var rowsHeld = new List<long>();
        var result = await DrillAsync($"broker down {outage.TotalSeconds:F0} s, four times the producer's message timeout (it keeps what it holds)", async cancellationToken =>
        {
            var broker = Fixture.ProcessId(ResourceNames.Kafka);
            await LocalProcesses.SignalAsync("USR1", broker);
            try
            {
                var down = Stopwatch.StartNew();
                while (down.Elapsed < outage)
                {
                    // A batch in hand when the broker went holds its rows until its messages time out; after that,
                    // and for the rest of the outage, no relay may hold any.
                    if (down.Elapsed > SagaAppFixture.ProducerMessageTimeout * 2)
                    {
                        rowsHeld.Add(await Database.CountAsync("""
                            SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                            WHERE c.relname IN ('outbox_messages', 'deferred_events') AND l.mode = 'RowShareLock'
                            """));
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
                }
            }
            finally
            {
                await LocalProcesses.SignalAsync("USR2", broker);
            }
        });

        // Orders were taken all along: the api needs PostgreSQL, not the broker.
        Assert.DoesNotContain(result.Stream.Refusals, refusal => refusal.StartsWith('5') || refusal.StartsWith("no answer"));
        Assert.NotEmpty(rowsHeld);
        Assert.All(rowsHeld, held => Assert.Equal(0, held));
        // The outage held the saga's events back past the producer's message timeout.
        Assert.True(await HeldInOutboxAsync(SagaAppFixture.ProducerMessageTimeout * 2) >= 20, "no event waited out the outage");
    }

    [Fact]
    public async Task The_broker_hung_for_a_minute_mid_stream_keeps_the_api_ready_and_loses_nothing()
    {
        var hang = TimeSpan.FromSeconds(60);
        var readiness = new List<string>();
        await DrillAsync($"broker hung {hang.TotalSeconds:F0} s (process suspended: connections open, no answers)", async cancellationToken =>
        {
            // As a kubelet probes: an answer later than a second is no answer.
            using var probe = new HttpClient { BaseAddress = Fixture.App.GetEndpoint(ResourceNames.Api, "http"), Timeout = TimeSpan.FromSeconds(1) };
            var broker = Fixture.ProcessId(ResourceNames.Kafka);
            await LocalProcesses.SignalAsync("STOP", broker);
            try
            {
                var hung = Stopwatch.StartNew();
                while (hung.Elapsed < hang)
                {
                    readiness.Add(await ReadinessAsync(probe, cancellationToken));
                    await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                }
            }
            finally
            {
                await LocalProcesses.SignalAsync("CONT", broker);
            }
        }, ordersPerSecond: 5);

        Assert.All(readiness, answer => Assert.Equal("200", answer));
        // The hang held the saga's events back: they waited in the outbox until the broker answered again.
        Assert.True(await HeldInOutboxAsync(hang / 2) >= 20, "no event waited for the broker");
    }

    private static async Task<string> ReadinessAsync(HttpClient probe, CancellationToken cancellationToken)
    {
        try
        {
            using var health = await probe.GetAsync(ServiceEndpoints.Health, cancellationToken);
            return ((int)health.StatusCode).ToString();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {probe.Timeout.TotalSeconds:F0} s";
        }
    }

    [Fact]
    public async Task PostgreSQL_stopped_and_started_mid_stream_loses_nothing()
    {
        HttpStatusCode? readinessDuringOutage = null;
        int linesBefore;
        var paymentLog = Fixture.ResourceId(SagaRoles.Payment);
        using (var reading = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            linesBefore = (await Fixture.ConsoleLinesAsync(paymentLog, reading.Token)).Count;
        }

        var result = await DrillAsync("PostgreSQL stopped 5 s and started while payment had a backlog", async cancellationToken =>
        {
            // With no backlog, nothing reaches a consumer while PostgreSQL is down (the api and the relays need it
            // too): payment is frozen until orders wait for it, and thawed once PostgreSQL is gone, so it meets the
            // outage with events in hand.
            var payment = Fixture.ProcessId(SagaRoles.Payment);
            await LocalProcesses.SignalAsync("STOP", payment);
            string postgres;
            try
            {
                await WaitUntilStalledAsync(SagaRoles.Payment);
                postgres = await Fixture.SignalServiceAsync(ResourceNames.Postgres, "TERM", cancellationToken);
            }
            finally
            {
                await LocalProcesses.SignalAsync("CONT", payment);
            }

            try
            {
                var outage = Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                using var probe = new HttpClient { BaseAddress = Fixture.App.GetEndpoint(ResourceNames.Api, "http") };
                using (var readiness = await probe.GetAsync(ServiceEndpoints.Health, cancellationToken))
                {
                    readinessDuringOutage = readiness.StatusCode;
                }

                await outage;
            }
            finally
            {
                await Fixture.StartInstanceAsync(ResourceNames.Postgres, postgres, cancellationToken, ResourceNames.Database);
            }

            // The test's own pooled connections died with the server; the services find out for themselves.
            NpgsqlConnection.ClearAllPools();
        });

        // Meanwhile the api said so, in a way clients know to retry: 503 problem details, never a 500; and it stayed
        // ready, so a load balancer kept sending clients to hear that rather than finding no api at all.
        Assert.Contains("503 application/problem+json", result.Stream.Refusals);
        Assert.Equal(HttpStatusCode.OK, readinessDuringOutage);
        Assert.All(result.Stream.Refusals, refusal => Assert.DoesNotMatch("^500", refusal));
        // And payment met the outage with events in hand, and waited it out instead of moving past them: said so
        // during this drill, not in an earlier test.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Contains((await Fixture.ConsoleLinesAsync(paymentLog, timeout.Token)).Skip(linesBefore),
            line => line.Contains("PostgreSQL is unavailable"));
    }

    [Fact]
    public async Task Redis_stopped_and_started_mid_stream_loses_nothing()
    {
        var result = await DrillAsync("Redis stopped 5 s and started", async cancellationToken =>
        {
            await StopForAWhileAsync(ResourceNames.Redis, cancellationToken, ResourceNames.Api, SagaRoles.StatusUpdater);
        });

        await AssertCacheWritesFailedAsync(result);
    }

    [Fact]
    public async Task Redis_hung_mid_stream_loses_nothing()
    {
        var result = await DrillAsync("Redis hung 5 s (process suspended: connections open, no answers)", async cancellationToken =>
        {
            var redis = Fixture.ProcessId(ResourceNames.Redis);
            await LocalProcesses.SignalAsync("STOP", redis);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            }
            finally
            {
                await LocalProcesses.SignalAsync("CONT", redis);
            }
        });

        await AssertCacheWritesFailedAsync(result);
    }

    [Fact]
    public async Task A_consumer_group_reset_to_the_beginning_mid_stream_charges_nobody_twice()
    {
        var rewound = 0L;
        await DrillAsync("payment's group reset to the beginning (every event delivered again)", async cancellationToken =>
        {
            // Shut down as a deployment would, so its group is left empty for the reset.
            var instance = await Fixture.SignalServiceAsync(SagaRoles.Payment, "TERM", cancellationToken);
            try
            {
                rewound = Broker.ResetToBeginning(SagaRoles.Payment);
            }
            finally
            {
                await Fixture.StartInstanceAsync(SagaRoles.Payment, instance, cancellationToken);
            }
        });

        // Payment was handed again every event it had already handled, this drill's among them.
        Assert.True(rewound >= StreamOrders / 10, $"the reset rewound only {rewound} messages");
    }

    [Fact]
    public async Task A_poison_message_mid_stream_holds_back_no_order()
    {
        List<Confluent.Kafka.TopicPartitionOffset> poison = [];
        await DrillAsync("a poison message on every partition", async cancellationToken =>
        {
            poison = await Broker.ProduceToEveryPartitionAsync("poison", "\u0000 not an event"u8.ToArray());
            foreach (var position in poison)
            {
                await Broker.WaitUntilConsumedAsync(position);
            }
        });

        // Every role met each copy in the middle of the stream, and parked it.
        Assert.NotEmpty(poison);
        var parked = Broker.ReadToEnd(Topics.DeadLetters)
            .Select(letter => (Group: SagaBroker.Header(letter, MessageHeaders.DeadLetterConsumerGroup),
                Position: $"{SagaBroker.Header(letter, MessageHeaders.DeadLetterOriginalPartition)}@{SagaBroker.Header(letter, MessageHeaders.DeadLetterOriginalOffset)}"))
            .ToHashSet();
        Assert.All(poison, position => Assert.All(SagaRoles.Consumers,
            group => Assert.Contains((group, $"{position.Partition.Value}@{position.Offset.Value}"), parked)));
    }

    [Fact]
    public async Task A_poison_outbox_row_mid_stream_holds_back_no_order()
    {
        Guid poison = default;
        await DrillAsync("a poison outbox row (2 MB)", async cancellationToken => poison = await Database.InsertOversizedOutboxRowAsync());

        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE event_id = @p0 AND set_aside_at IS NOT NULL", poison));
    }

    /// <summary>
    /// Stops a server for five seconds (SIGTERM to its host, which shuts the server down as an operator would), and
    /// always starts it again with the resource's start command.
    /// </summary>
    private async Task StopForAWhileAsync(string resource, CancellationToken cancellationToken, params string[] dependents)
    {
        var instance = await Fixture.SignalServiceAsync(resource, "TERM", cancellationToken);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        }
        finally
        {
            await Fixture.StartInstanceAsync(resource, instance, cancellationToken, dependents);
        }
    }

    /// <summary>The status-updater could not write some of the drill's orders through to Redis: the outage was felt.</summary>
    private async Task AssertCacheWritesFailedAsync(DrillResult result)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var lines = await Fixture.ConsoleLinesAsync(Fixture.ResourceId(SagaRoles.StatusUpdater), timeout.Token);
        var orders = result.Stream.OrderIds.Select(id => id.ToString()).ToHashSet();
        Assert.Contains(lines, line => line.Contains("Caching order") && line.Contains("failed")
            && line.Split(' ').Any(word => orders.Contains(word)));
    }
}
