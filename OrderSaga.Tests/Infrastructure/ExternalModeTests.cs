using Aspire.Hosting;
using Aspire.Hosting.Testing;
using OrderSaga.Testing;
using OrderSaga.Tests.Saga;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// The AppHost's external mode: it starts no server and takes the connection strings of servers that run elsewhere.
/// The dev servers, started here on their own, stand in for a Kafka cluster and managed PostgreSQL and Redis.
/// </summary>
[Collection(OwnApplicationCollection.Name)]
public sealed class ExternalModeTests : IAsyncLifetime
{
    private const string Customer = "it-external";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly TestTokens _tokens = TestTokens.ForApi();
    private StandInServers _servers = null!;
    private SagaAppRun _started = null!;

    public async Task InitializeAsync()
    {
        await _tokens.ForAdminAsync(SagaAppFixture.AdminUser);
        _servers = StandInServers.Start(partitions: 6);
        _started = await SagaAppRun.StartExternalAsync(
            _servers.ConnectionStrings,
            [$"Payment:AlwaysApproveUsers:0={Customer}"],
            [ResourceNames.Api, .. SagaRoles.Consumers],
            StartTimeout,
            CancellationToken.None);
    }

    private DistributedApplication App => _started.App;

    [Fact]
    public async Task An_order_placed_against_servers_the_apphost_did_not_start_ships_and_is_stored_there()
    {
        var database = new SagaDatabase(_servers.ConnectionStrings[ResourceNames.Database]);
        using var orders = new OrderApiClient(App.CreateHttpClient(ResourceNames.Api), _tokens, SagaAppFixture.AdminUser);

        var placed = await orders.PlaceAsync(Customer, [("prod-mouse", 1)]);
        var settled = await orders.WaitUntilSettledAsync(placed.OrderId);

        Assert.Equal("SHIPPED", settled.Status);
        Assert.Equal(["SHIPPED"], await database.ColumnAsync("SELECT status FROM orders WHERE id = @p0", placed.OrderId));
    }

    public async Task DisposeAsync()
    {
        await _started.DisposeAsync();
        _servers.Dispose();
    }
}
