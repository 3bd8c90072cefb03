using System.Diagnostics;
using Aspire.Hosting.Testing;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Tests.Infrastructure;
using OrderSaga.Tests.Saga;
using Xunit.Abstractions;

namespace OrderSaga.Tests.Faults;

/// <summary>What one fault did to a stream of orders, as the closing figures of its drill.</summary>
public sealed record DrillResult(
    string Fault, StreamOutcome Stream, TimeSpan LongestToFinal, TimeSpan SettledAfterFault, IReadOnlyList<string> Outcomes, long Redriven, IReadOnlyList<string> Violations)
{
    /// <summary>A row of the report: fault, orders, longest placed→final, settled after the fault, outcomes, refusals met, orders re-driven, invariant violations.</summary>
    public override string ToString() =>
        $"| {Fault} | {Stream.Accepted.Count} | {LongestToFinal.TotalSeconds:F1} s | {SettledAfterFault.TotalSeconds:F1} s | {string.Join(", ", Outcomes)} | "
        + $"{(Stream.Refusals.Count == 0 ? "none" : string.Join(", ", Stream.Refusals.GroupBy(r => r).Select(g => $"{g.Count()} × {g.Key}")))} | {Redriven} | {Violations.Count} |";
}

/// <summary>
/// A fault drill: a steady stream of orders (a forced mix of approvals, declines and a product that runs out),
/// a fault injected mid-stream and healed, then: exactly one order for every accepted request, every order final
/// within a bound by at-least-once delivery alone (the reconciler is out of reach; a drill about lost messages asks
/// for re-drives itself and must have needed them), nothing dead-lettered, and the invariant checker finds nothing.
/// Each drill proves its fault did harm while orders flowed. Each appends its figures to <c>fault-report.md</c>
/// next to the test binaries.
/// </summary>
public abstract class FaultDrillContext(SagaAppFixture fixture, ITestOutputHelper output) : SagaTestContext(fixture)
{
    protected const int StreamOrders = 200;
    protected const int OrdersPerSecond = 25;
    private static readonly TimeSpan FaultAfter = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Restarting a killed service and its consumer group's rebalance on the mock broker take most of this.</summary>
    private static readonly TimeSpan LongestToFinalBound = TimeSpan.FromSeconds(90);

    /// <summary>Orders waiting at a stopped role's step, enough to show the stream ran into the fault.</summary>
    private const int Backlog = 20;

    protected SagaBroker Broker { get; private set; } = null!;

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>The products this drill's orders take: every order of them is the drill's.</summary>
    protected string[] DrillProducts { get; private set; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));
    }

    /// <summary>
    /// Runs the stream, calls <paramref name="fault"/> three seconds in (it injects the fault and heals it), keeps
    /// the stream flowing until the fault is healed, and checks the aftermath. With <paramref name="lostMessages"/>,
    /// the fault is one that may lose messages in flight: stuck orders are re-driven while the drill waits. A long
    /// fault streams at a lower <paramref name="ordersPerSecond"/>: the mock broker keeps every drill's events in memory.
    /// </summary>
    protected async Task<DrillResult> DrillAsync(string faultName, Func<CancellationToken, Task> fault, bool lostMessages = false, int ordersPerSecond = OrdersPerSecond)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var plenty = await Database.CreateProductAsync(stock: 1_000);
        var scarce = await Database.CreateProductAsync(stock: 25);
        DrillProducts = [plenty, scarce];
        var stream = new OrderStream(Fixture.App.GetEndpoint(ResourceNames.Api, "http"), Fixture.Tokens);

        var faulted = InjectAsync(fault, timeout.Token);
        var outcome = await stream.RunAsync(StreamOrders, ordersPerSecond,
            i => StreamedOrder.Mixed(i, SagaAppFixture.ApprovedCrowd[..4], SagaAppFixture.DeclinedUser, plenty, scarce), faulted, timeout.Token);
        var healed = Stopwatch.StartNew();
        await faulted;

        Assert.Equal(0, outcome.Abandoned);
        Assert.True(outcome.Accepted.Count >= StreamOrders);
        var ids = outcome.OrderIds;
        await StreamChecks.AssertOneOrderPerAcceptedRequestAsync(Database, outcome, DrillProducts);
        await SettleAsync(faultName, ids, lostMessages);
        var settledAfterFault = healed.Elapsed;

        var violations = await Database.InvariantViolationsAsync(new Dictionary<string, int> { [plenty] = 1_000, [scarce] = 25 }, ids);
        foreach (var violation in violations)
        {
            Output.WriteLine(violation);
        }

        Assert.Empty(violations);
        await Broker.WaitUntilAllConsumedAsync();
        var orderKeys = ids.Select(id => id.ToString()).ToHashSet();
        Assert.DoesNotContain(Broker.ReadToEnd(Topics.DeadLetters), deadLetter => orderKeys.Contains(deadLetter.Message.Key));

        var redriven = await Database.CountAsync("SELECT count(DISTINCT message_key) FROM outbox_messages WHERE message_key = ANY(@p0) AND redriven_at IS NOT NULL",
            (object)ids.Select(id => id.ToString()).ToArray());
        if (!lostMessages)
        {
            Assert.Equal(0, redriven);
        }

        var result = new DrillResult(
            faultName,
            outcome,
            TimeSpan.FromMilliseconds(await Database.CountAsync(
                "SELECT (extract(epoch FROM max(updated_at - created_at)) * 1000)::bigint FROM orders WHERE id = ANY(@p0)", (object)ids)),
            settledAfterFault,
            await Database.ColumnAsync("""
                SELECT concat(count(*), ' ', status, CASE WHEN cancel_reason IS NULL THEN '' ELSE ' ' || cancel_reason END)
                FROM orders WHERE id = ANY(@p0) GROUP BY status, cancel_reason ORDER BY status, cancel_reason
                """, (object)ids),
            redriven,
            violations);
        Output.WriteLine(result.ToString());
        // The drills share one collection, so they run one at a time and never append side by side.
        await File.AppendAllTextAsync(Path.Combine(AppContext.BaseDirectory, "fault-report.md"), result + Environment.NewLine, timeout.Token);
        Assert.True(result.LongestToFinal < LongestToFinalBound, $"an order took {result.LongestToFinal.TotalSeconds:F1} s to become final");
        // A give-up would end a stuck order as TIMED_OUT, which the invariants accept: no drill may lean on it.
        Assert.DoesNotContain(result.Outcomes, outcome => outcome.EndsWith(CancelReasons.TimedOut, StringComparison.Ordinal));
        return result;
    }

    /// <summary>
    /// Waits until a stopped role's step has done nothing for the drill's orders for three seconds while at least
    /// <see cref="Backlog"/> of them wait for it: the stream ran into the fault, which a mere pause would not show.
    /// </summary>
    protected Task WaitUntilStalledAsync(string role) =>
        EventuallyAsync($"{role}'s step stalled with {Backlog} orders waiting",
            async () => await Database.CountAsync(StalledSql(role), (object)DrillProducts) == 1, TimeSpan.FromSeconds(40));

    /// <summary>How many of the drill's events waited in the outbox longer than <paramref name="wait"/> before the broker took them.</summary>
    protected Task<long> HeldInOutboxAsync(TimeSpan wait) =>
        Database.CountAsync("""
            SELECT count(*) FROM outbox_messages m
            WHERE m.message_key IN (SELECT i.order_id::text FROM order_items i WHERE i.product_id = ANY(@p0)) AND m.sent_at - m.created_at > @p1
            """, DrillProducts, wait);

    /// <summary>
    /// Whether the step at <paramref name="role"/> stalled for the orders of the products in @p0: nothing done in the
    /// last three seconds, and at least <see cref="Backlog"/> orders whose turn it is.
    /// </summary>
    private static string StalledSql(string role)
    {
        // Each step answers the event before it with events of its own, written with its effect; the
        // status-updater's step is the order's status itself.
        var (arrived, done) = role switch
        {
            SagaRoles.Inventory => ("'OrderCreated'", "'InventoryReserved', 'InventoryFailed', 'InventoryReleased'"),
            SagaRoles.Payment => ("'InventoryReserved'", "'PaymentCompleted', 'PaymentFailed'"),
            SagaRoles.Delivery => ("'PaymentCompleted'", "'OrderShipped'"),
            SagaRoles.StatusUpdater => ("'OrderShipped', 'InventoryFailed', 'InventoryReleased'", null),
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
        };
        var awaited = role == SagaRoles.StatusUpdater
            ? $"d.{OrderStatus.InFlightSql} AND EXISTS (SELECT 1 FROM outbox_messages m WHERE m.message_key = d.k AND m.event_type IN ({arrived}))"
            : $"EXISTS (SELECT 1 FROM outbox_messages m WHERE m.message_key = d.k AND m.event_type IN ({arrived})) "
              + $"AND NOT EXISTS (SELECT 1 FROM outbox_messages m WHERE m.message_key = d.k AND m.event_type IN ({done}))";
        var recentlyDone = role == SagaRoles.StatusUpdater
            ? "EXISTS (SELECT 1 FROM drill d WHERE d.updated_at > d.created_at AND d.updated_at > now() - interval '3 seconds')"
            : $"EXISTS (SELECT 1 FROM drill d JOIN outbox_messages m ON m.message_key = d.k WHERE m.event_type IN ({done}) AND m.created_at > now() - interval '3 seconds')";
        return $"""
            WITH drill AS (SELECT DISTINCT o.id, o.id::text AS k, o.status, o.created_at, o.updated_at FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = ANY(@p0))
            SELECT CASE WHEN NOT {recentlyDone} AND (SELECT count(*) FROM drill d WHERE {awaited}) >= {Backlog} THEN 1 ELSE 0 END
            """;
    }

    private async Task SettleAsync(string faultName, Guid[] ids, bool lostMessages)
    {
        using var admin = await Fixture.CreateOperatorClientAsync();
        var nextRedrive = Stopwatch.StartNew();
        await EventuallyAsync($"all {ids.Length} orders of the '{faultName}' drill final", async () =>
        {
            if (lostMessages && nextRedrive.Elapsed > TimeSpan.FromSeconds(3))
            {
                // What the reconciler would do after StuckOrders:After, asked for now.
                using var redrive = await admin.PostAsync("/operator/stuck-orders/redrive?idle_seconds=5", null);
                redrive.EnsureSuccessStatusCode();
                nextRedrive.Restart();
            }

            return await Database.CountAsync($"SELECT count(*) FROM orders WHERE id = ANY(@p0) AND {OrderStatus.InFlightSql}", (object)ids) == 0;
        }, SettleTimeout, async () => string.Join(", ", await Database.ColumnAsync(
            $"SELECT count(*) || ' ' || status FROM orders WHERE id = ANY(@p0) AND {OrderStatus.InFlightSql} GROUP BY status", (object)ids)) + " still in flight");
    }

    private static async Task InjectAsync(Func<CancellationToken, Task> fault, CancellationToken cancellationToken)
    {
        await Task.Delay(FaultAfter, cancellationToken);
        await fault(cancellationToken);
    }
}
