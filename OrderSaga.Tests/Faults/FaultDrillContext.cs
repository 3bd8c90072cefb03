using System.Diagnostics;
using Aspire.Hosting.Testing;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Tests.Infrastructure;
using OrderSaga.Tests.Saga;
using Xunit.Abstractions;

namespace OrderSaga.Tests.Faults;

/// <summary>What one fault did to a stream of orders, as the closing figures of its drill.</summary>
public sealed record DrillResult(
    string Fault, StreamOutcome Stream, TimeSpan LongestToFinal, TimeSpan SettledAfterFault, IReadOnlyList<string> Outcomes, IReadOnlyList<string> Violations)
{
    /// <summary>A row of the report: fault, orders, longest placed→final, settled after the fault, outcomes, refusals met, invariant violations.</summary>
    public override string ToString() =>
        $"| {Fault} | {Stream.Accepted.Count} | {LongestToFinal.TotalSeconds:F1} s | {SettledAfterFault.TotalSeconds:F1} s | {string.Join(", ", Outcomes)} | "
        + $"{(Stream.Refusals.Count == 0 ? "none" : string.Join(", ", Stream.Refusals.GroupBy(r => r).Select(g => $"{g.Count()} × {g.Key}")))} | {Violations.Count} |";
}

/// <summary>
/// A fault drill: a steady stream of orders (a forced mix of approvals, declines and a product that runs out),
/// a fault injected mid-stream and healed, then every accepted order must reach a final state within a bound,
/// none may be dead-lettered, and the invariant checker must find nothing. Each drill appends its figures to
/// <c>fault-report.md</c> next to the test binaries.
/// </summary>
public abstract class FaultDrillContext(SagaAppFixture fixture, ITestOutputHelper output) : SagaTestContext(fixture)
{
    protected const int StreamOrders = 300;
    protected const int OrdersPerSecond = 30;
    private static readonly TimeSpan FaultAfter = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(3);

    protected SagaBroker Broker { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));
    }

    /// <summary>
    /// Runs the stream, calls <paramref name="fault"/> three seconds in (it injects the fault and heals it), keeps
    /// the stream flowing until the fault is healed, and checks the aftermath.
    /// </summary>
    protected async Task<DrillResult> DrillAsync(string faultName, Func<CancellationToken, Task> fault)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var plenty = await Database.CreateProductAsync(stock: 1_000);
        var scarce = await Database.CreateProductAsync(stock: 25);
        var stream = new OrderStream(Fixture.App.GetEndpoint(ResourceNames.Api, "http"), Fixture.Tokens);

        var faulted = InjectAsync(fault, timeout.Token);
        var outcome = await stream.RunAsync(StreamOrders, OrdersPerSecond, i => new StreamedOrder(
            i % 5 == 4 ? SagaAppFixture.DeclinedUser : SagaAppFixture.ApprovedCrowd[i % 4],
            i % 3 == 0 ? [(plenty, 1), (scarce, 1)] : [(plenty, 1)]), faulted, timeout.Token);
        var healed = Stopwatch.StartNew();
        await faulted;

        Assert.Equal(0, outcome.Abandoned);
        Assert.True(outcome.Accepted.Count >= StreamOrders);
        var ids = outcome.Accepted.ToArray();
        Assert.Equal(ids.Length, await Database.CountAsync("SELECT count(*) FROM orders WHERE id = ANY(@p0)", (object)ids));
        await EventuallyAsync($"all {ids.Length} orders of the '{faultName}' drill final",
            async () => await Database.CountAsync("SELECT count(*) FROM orders WHERE id = ANY(@p0) AND status NOT IN ('SHIPPED', 'CANCELLED')", (object)ids) == 0,
            SettleTimeout);
        var settledAfterFault = healed.Elapsed;

        var violations = await Database.InvariantViolationsAsync(new Dictionary<string, int> { [plenty] = 1_000, [scarce] = 25 });
        Assert.Empty(violations);
        var orderKeys = ids.Select(id => id.ToString()).ToHashSet();
        Assert.DoesNotContain(Broker.ReadToEnd(Topics.DeadLetters), deadLetter => orderKeys.Contains(deadLetter.Message.Key));

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
            violations);
        output.WriteLine(result.ToString());
        // The drills share one collection, so they run one at a time and never append side by side.
        await File.AppendAllTextAsync(Path.Combine(AppContext.BaseDirectory, "fault-report.md"), result + Environment.NewLine, timeout.Token);

        return result;
    }

    private static async Task InjectAsync(Func<CancellationToken, Task> fault, CancellationToken cancellationToken)
    {
        await Task.Delay(FaultAfter, cancellationToken);
        await fault(cancellationToken);
    }
}
