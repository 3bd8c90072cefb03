using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>An outbox row the broker can never take must not hold back the rows beside it.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class OutboxPoisonTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task A_row_too_large_for_the_broker_is_set_aside_and_the_others_are_sent()
    {
        // Committed just before an order, so both share the relay's next batch.
        var poison = await Database.InsertOversizedOutboxRowAsync();

        var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)]);

        Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(placed.OrderId)).Status);
        await EventuallyAsync("the poison row is set aside",
            async () => await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE event_id = @p0 AND set_aside_at IS NOT NULL", poison) == 1);
        Assert.Contains("too large", Assert.Single(await Database.ColumnAsync("SELECT last_error FROM outbox_messages WHERE event_id = @p0", poison)), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE event_id = @p0 AND sent_at IS NOT NULL", poison));
        // Every event of the order was marked sent once, not published again and again with the poison row.
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE message_key = @p0 AND sent_at IS NULL", placed.OrderId.ToString()));
    }
}
