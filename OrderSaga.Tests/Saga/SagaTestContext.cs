using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>
/// What a saga test needs from the running application: the API (<see cref="Http"/> signed in as the approved
/// user, <see cref="Orders"/> as whichever user places an order), the database and the broker address.
/// </summary>
public abstract class SagaTestContext(SagaAppFixture fixture) : IAsyncLifetime
{
    protected SagaAppFixture Fixture { get; } = fixture;
    protected OrderApiClient Orders { get; private set; } = null!;
    protected SagaDatabase Database { get; private set; } = null!;
    protected HttpClient Http { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Http = await Fixture.CreateApiClientAsync(SagaAppFixture.ApprovedUser);
        Orders = new OrderApiClient(Fixture.CreateApiClient(), Fixture.Tokens, SagaAppFixture.AdminUser);
        Database = new SagaDatabase(await Fixture.ConnectionStringAsync(ResourceNames.Database));
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds, failing the test after <paramref name="timeout"/> (60 s) with
    /// what <paramref name="explain"/> finds then.
    /// </summary>
    protected static async Task EventuallyAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null, Func<Task<string>>? explain = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"not so within {limit.TotalSeconds} s: {what}" + (explain is null ? "" : $" ({await explain()})"));
            }

            await Task.Delay(100);
        }
    }

    public virtual Task DisposeAsync()
    {
        Http.Dispose();
        Orders.Dispose();
        return Task.CompletedTask;
    }
}
