using Aspire.Hosting;
using Aspire.Hosting.Testing;
using OrderSaga.AppHost;
using OrderSaga.Testing;
using OrderSaga.Tests.Saga;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// The AppHost's other shape: one process playing every saga role. It runs an application of its own beside the
/// shared one's tests: a few orders, light enough to share these two cores (the deployment tests, with a steady
/// stream and rolling restarts, run alone at the end).
/// </summary>
public sealed class CombinedWorkersTests : IAsyncLifetime
{
    private const int Customers = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly TestTokens _tokens = TestTokens.ForApi();
    private SagaAppRun _started = null!;

    public async Task InitializeAsync()
    {
        await _tokens.ForAdminAsync(SagaAppFixture.AdminUser);
        // Its customers are always approved: a random decline gives the scarce product's stock back, and enough of
        // them (seen once in CI) leave no order to run out of it.
        _started = await SagaAppRun.StartLocalAsync(
            [$"{SagaServiceExtensions.CombineWorkersKey}=true", .. Enumerable.Range(0, Customers).Select(i => $"Payment:AlwaysApproveUsers:{i}=combined-{i}")],
            [ResourceNames.Api, SagaRoles.CombinedWorkers], StartTimeout, CancellationToken.None);
    }

    private DistributedApplication App => _started.App;

    [Fact]
    public async Task One_process_playing_every_role_takes_orders_to_the_end_each_role_claiming_its_own_steps()
    {
        var database = new SagaDatabase(await App.GetConnectionStringAsync(ResourceNames.Database) ?? throw new InvalidOperationException("no database"));
        using var orders = new OrderApiClient(App.CreateHttpClient(ResourceNames.Api), _tokens, SagaAppFixture.AdminUser);
        var plenty = await database.CreateProductAsync(stock: 100);
        var scarce = await database.CreateProductAsync(stock: 3);

        var placed = new List<Guid>();
        for (var order = 0; order < 12; order++)
        {
            (string, int)[] lines = order % 2 == 0 ? [(plenty, 1), (scarce, 1)] : [(plenty, 2)];
            placed.Add((await orders.PlaceAsync($"combined-{order % Customers}", lines)).OrderId);
        }

        var settled = await Task.WhenAll(placed.Select(orders.WaitUntilSettledAsync));

        Assert.Contains(settled, order => order.CancelReason == "OUT_OF_STOCK");
        Assert.Contains(settled, order => order.Status == "SHIPPED");
        Assert.Empty(await database.InvariantViolationsAsync(new Dictionary<string, int> { [plenty] = 100, [scarce] = 3 }, placed));
        // Every role claimed under its own name: one process, four saga roles, none doing another's step.
        var claims = await database.ColumnAsync(
            "SELECT DISTINCT consumer FROM processed_events WHERE event_id IN (SELECT event_id FROM outbox_messages WHERE message_key = ANY(@p0))",
            (object)placed.Select(id => id.ToString()).ToArray());
        Assert.Equal(SagaRoles.Consumers.Order(), claims.Order());
    }

    public async Task DisposeAsync() => await _started.DisposeAsync();
}
