using Npgsql;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderSaga.Tests.Faults;

/// <summary>
/// Every fault the saga must survive, each in turn under a steady stream of orders: afterwards every order is
/// final, none was lost, none dead-lettered, and nothing was reserved, charged or shipped twice.
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
        await DrillAsync($"{role} killed (SIGKILL) and started again", async cancellationToken =>
        {
            var instance = await Fixture.SignalServiceAsync(role, "KILL", cancellationToken);
            await Fixture.StartInstanceAsync(role, instance, cancellationToken);
        });
    }

    [Fact]
    public async Task A_worker_stopped_gracefully_mid_stream_commits_what_it_applied_and_nothing_is_lost()
    {
        IReadOnlyList<string> farewell = [];
        await DrillAsync("payment stopped gracefully (SIGTERM) and started again", async cancellationToken =>
        {
            var instance = await Fixture.SignalServiceAsync(SagaRoles.Payment, "TERM", cancellationToken);
            try
            {
                farewell = await Fixture.ConsoleLinesAsync(instance, cancellationToken);
            }
            finally
            {
                await Fixture.StartInstanceAsync(SagaRoles.Payment, instance, cancellationToken);
            }
        });

        // The consumer left its group and committed on the way out, rather than being cut off mid-batch.
        Assert.Contains(farewell, line => line.Contains($"Stopped consuming order-events as group {SagaRoles.Payment}; offsets committed"));
    }

    [Fact]
    public async Task The_broker_stopped_and_started_mid_stream_loses_nothing()
    {
        await DrillAsync("broker stopped 5 s and started (the mock forgets every message)", async cancellationToken =>
        {
            await StopForAWhileAsync(ResourceNames.Kafka, cancellationToken);
        });
    }

    [Fact]
    public async Task PostgreSQL_stopped_and_started_mid_stream_loses_nothing()
    {
        var result = await DrillAsync("PostgreSQL stopped 5 s and started", async cancellationToken =>
        {
            await StopForAWhileAsync(ResourceNames.Postgres, cancellationToken, ResourceNames.Database);
            // The test's own pooled connections died with the server; the services find out for themselves.
            NpgsqlConnection.ClearAllPools();
        });

        // Meanwhile the api said so, in a way clients know to retry: 503 problem details, never a 500.
        Assert.Contains("503 application/problem+json", result.Stream.Refusals);
        Assert.All(result.Stream.Refusals, refusal => Assert.DoesNotMatch("^500", refusal));
    }

    [Fact]
    public async Task Redis_stopped_and_started_mid_stream_loses_nothing()
    {
        await DrillAsync("Redis stopped 5 s and started", async cancellationToken =>
        {
            await StopForAWhileAsync(ResourceNames.Redis, cancellationToken, ResourceNames.Api, SagaRoles.StatusUpdater);
        });
    }

    [Fact]
    public async Task Redis_hung_mid_stream_loses_nothing()
    {
        await DrillAsync("Redis hung 5 s (process suspended: connections open, no answers)", async cancellationToken =>
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
    }

    [Fact]
    public async Task A_consumer_group_reset_to_the_beginning_mid_stream_charges_nobody_twice()
    {
        await DrillAsync("payment's group reset to the beginning (every event delivered again)", async cancellationToken =>
        {
            // Shut down as a deployment would, so its group is left empty for the reset.
            var instance = await Fixture.SignalServiceAsync(SagaRoles.Payment, "TERM", cancellationToken);
            try
            {
                Broker.ResetToBeginning(SagaRoles.Payment);
            }
            finally
            {
                await Fixture.StartInstanceAsync(SagaRoles.Payment, instance, cancellationToken);
            }
        });
    }

    [Fact]
    public async Task A_poison_message_mid_stream_holds_back_no_order()
    {
        await DrillAsync("a poison message on every partition", async cancellationToken =>
        {
            var poison = await Broker.ProduceToEveryPartitionAsync("poison", "\u0000 not an event"u8.ToArray());
            foreach (var position in poison)
            {
                await Broker.WaitUntilConsumedAsync(position);
            }
        });
    }

    [Fact]
    public async Task A_poison_outbox_row_mid_stream_holds_back_no_order()
    {
        Guid poison = default;
        await DrillAsync("a poison outbox row (2 MB)", async cancellationToken => poison = await Database.InsertOversizedOutboxRowAsync());

        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE event_id = @p0 AND set_aside_at IS NOT NULL", poison));
    }

    /// <summary>
    /// Stops a server for five seconds (SIGTERM to its host, which shuts the server down as an operator would:
    /// PostgreSQL with a fast shutdown), and always starts it again with the resource's start command.
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
            await Fixture.StartInstanceAsync(resource, instance, cancellationToken);
            await Task.WhenAll(dependents.Select(dependent => Fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(dependent, cancellationToken)));
        }
    }
}
