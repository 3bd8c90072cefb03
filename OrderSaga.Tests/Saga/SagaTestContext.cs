using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>What a saga test needs from the running application: the API, the database and the broker address.</summary>
public abstract class SagaTestContext(SagaAppFixture fixture) : IAsyncLifetime
{
    protected SagaAppFixture Fixture { get; } = fixture;
    protected OrderApiClient Orders { get; private set; } = null!;
    protected SagaDatabase Database { get; private set; } = null!;
    protected HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Http = Fixture.CreateApiClient();
        Orders = new OrderApiClient(Http);
        Database = new SagaDatabase(await Fixture.ConnectionStringAsync(ResourceNames.Database));
    }

    public Task DisposeAsync()
    {
        Http.Dispose();
        return Task.CompletedTask;
    }
}
