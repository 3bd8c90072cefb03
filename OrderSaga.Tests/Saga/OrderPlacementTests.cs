using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderSaga.Api.Orders;
using OrderSaga.Data;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Messaging.Storage;
using OrderSaga.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrderSaga.Tests.Saga;

/// <summary>An order, its lines and its OrderCreated event are stored together or not at all, in one round trip.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class OrderPlacementTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private readonly List<IAsyncDisposable> _disposables = [];

    [Fact]
    public async Task A_commit_whose_answer_was_lost_is_answered_with_the_order_it_stored()
    {
        var user = $"lost-commit-{Guid.NewGuid():N}";
        var relay = new OutboxSignal();
        var placement = await PlacementAsync(new FirstOrderAnswerLost(), relay);

        var placed = await placement.PlaceAsync(new CreateOrderRequest(user, [new CreateOrderLine("prod-mouse", 1)]), idempotencyKey: null, CancellationToken.None);

        var created = Assert.IsType<Placement.Created>(placed);
        Assert.Equal(created.OrderId.ToString(), Assert.Single(await Database.ColumnAsync("SELECT id FROM orders WHERE user_id = @p0", user)));
        // Its OrderCreated is published now, not at the relay's next poll: the relay was woken.
        using var notWoken = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var waited = await Record.ExceptionAsync(() => relay.WaitAsync(Timeout.InfiniteTimeSpan, notWoken.Token));
        Assert.True(waited is null, "The relay was not woken for the order's OrderCreated");
    }

    [Fact]
    public async Task An_order_whose_event_cannot_be_stored_is_not_stored_either()
    {
        var user = $"failed-batch-{Guid.NewGuid():N}";
        var placement = await PlacementAsync(new LastStatementFails());

        await Assert.ThrowsAsync<DbUpdateException>(() =>
            placement.PlaceAsync(new CreateOrderRequest(user, [new CreateOrderLine("prod-mouse", 1), new CreateOrderLine("prod-keyboard", 2)]), idempotencyKey: null, CancellationToken.None));

        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM orders WHERE user_id = @p0", user));
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.user_id = @p0", user));
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE envelope::text LIKE @p0", $"%{user}%"));
    }

    /// <summary>Places orders as the api does, through a database context of the test's own with <paramref name="interceptor"/>.</summary>
    private async Task<OrderPlacement> PlacementAsync(IInterceptor interceptor, OutboxSignal? relay = null)
    {
        var options = new DbContextOptionsBuilder<OrderSagaDbContext>()
            .UseNpgsql(await Fixture.ConnectionStringAsync(ResourceNames.Database), npgsql => npgsql.EnableRetryOnFailure())
            .UseOrderSagaConventions()
            .AddInterceptors(interceptor)
            .Options;
        var db = new OrderSagaDbContext((DbContextOptions<OrderSagaDbContext>)options);
        var redis = await ConnectionMultiplexer.ConnectAsync(await Fixture.ConnectionStringAsync(ResourceNames.Redis));
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _disposables.AddRange([db, redis, meters]);
        return new OrderPlacement(
            new SagaUnitOfWork(new MessageStore(db), SagaTopics.WithPrefix(null), relay ?? new OutboxSignal(), TimeProvider.System, NullLogger<SagaUnitOfWork>.Instance),
            db,
            new ProductPrices(Options.Create(new CatalogueOptions()), TimeProvider.System),
            new IdempotencyKeys(redis, Options.Create(new IdempotencyOptions()), NullLogger<IdempotencyKeys>.Instance),
            new SagaMetrics(meters.GetRequiredService<IMeterFactory>()),
            TimeProvider.System);
    }

    public override async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>
    /// The connection drops once, right after the order's statements were sent: they commit (the reader is read to
    /// its end as it is disposed), but the client cannot know that they did.
    /// </summary>
    private sealed class FirstOrderAnswerLost : DbCommandInterceptor
    {
        private int _orders;

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default) =>
            IsOrder(command) && Interlocked.Increment(ref _orders) == 1
                ? throw new NpgsqlException("The connection was lost after the order was sent", new IOException("connection reset"))
                : ValueTask.FromResult(result);
    }

    /// <summary>The order's batch ends with a statement that fails, after the order, its lines and its event were written.</summary>
    private sealed class LastStatementFails : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (IsOrder(command))
            {
                command.CommandText += ";\nSELECT 1 / 0";
            }

            return ValueTask.FromResult(result);
        }
    }

    private static bool IsOrder(DbCommand command) => command.CommandText.Contains("INSERT INTO orders", StringComparison.Ordinal);
}
