using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using OrderSaga.Data;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Messaging.Storage;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>The unit of work's batched once-only claims, against the real database.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class OnceOnlyClaimTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task A_batch_runs_each_event_once_even_when_it_holds_the_same_event_twice()
    {
        var claim = $"test-{Guid.NewGuid():N}";
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var runs = new List<Guid>();
        await RunBatchAsync([Step(claim, first, runs), Step(claim, second, runs), Step(claim, first, runs)]);

        Assert.Equal([first, second], runs);
        Assert.Equal(2, await Database.CountAsync("SELECT count(*) FROM processed_events WHERE consumer = @p0", claim));
    }

    [Fact]
    public async Task A_claimed_event_does_not_run_again_in_a_later_batch_while_new_ones_do()
    {
        var claim = $"test-{Guid.NewGuid():N}";
        var (handled, fresh) = (Guid.NewGuid(), Guid.NewGuid());
        var runs = new List<Guid>();
        await RunBatchAsync([Step(claim, handled, runs)]);
        await RunBatchAsync([Step(claim, handled, runs), Step(claim, fresh, runs)]);

        Assert.Equal([handled, fresh], runs);
    }

    [Fact]
    public async Task A_failing_step_leaves_no_claim_behind_so_the_event_can_be_retried()
    {
        var claim = $"test-{Guid.NewGuid():N}";
        var runs = new List<Guid>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => RunBatchAsync(
            [Step(claim, Guid.NewGuid(), runs), new ClaimedStep(claim, Guid.NewGuid(), _ => throw new InvalidOperationException("handler failed"))]));

        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM processed_events WHERE consumer = @p0", claim));
    }

    private static ClaimedStep Step(string claim, Guid eventId, List<Guid> runs) =>
        new(claim, eventId, _ =>
        {
            runs.Add(eventId);
            return Task.CompletedTask;
        });

    /// <summary>Runs the steps the way a consumer does, in a unit of work of their own.</summary>
    private async Task RunBatchAsync(IReadOnlyList<ClaimedStep> steps)
    {
        var options = new DbContextOptionsBuilder<OrderSagaDbContext>()
            .UseNpgsql(await Fixture.ConnectionStringAsync(ResourceNames.Database))
            .UseOrderSagaConventions()
            .Options;
        await using var db = new OrderSagaDbContext((DbContextOptions<OrderSagaDbContext>)options);
        await new SagaUnitOfWork(new MessageStore(db), SagaTopics.WithPrefix(null), new OutboxSignal(), TimeProvider.System, NullLogger<SagaUnitOfWork>.Instance).ExecuteOnceAsync(steps, CancellationToken.None);
    }
}
