using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>Once-only claims, failure notes and sent events do not pile up for ever; what is still young stays.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class RetentionTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private const string Claim = "RetentionTestHandler";

    [Fact]
    public async Task Claims_failure_notes_and_sent_events_older_than_their_retention_are_purged_and_younger_ones_kept()
    {
        var (oldEvent, youngEvent) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var (eventId, age) in new[] { (oldEvent, TimeSpan.FromDays(30)), (youngEvent, TimeSpan.FromHours(1)) })
        {
            var at = DateTimeOffset.UtcNow - age;
            await Database.ExecuteAsync("INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (@p0, @p1, @p2)", Claim, eventId, at);
            await Database.ExecuteAsync("""
                INSERT INTO failed_events (consumer, event_id, message_key, event_type, failed_at) VALUES (@p0, @p1, @p2, 'RetentionTest', @p3)
                """, Claim, eventId, eventId.ToString(), at);
            // On the smoke-test topic, so no saga consumer ever sees it.
            await Database.ExecuteAsync("""
                INSERT INTO outbox_messages (event_id, topic, message_key, event_type, envelope, created_at, sent_at)
                VALUES (@p0, @p1, @p2, 'RetentionTest', '{}'::jsonb, @p3, @p3)
                """, eventId, SagaAppFixture.SmokeTopic, eventId.ToString(), at);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CountAsync(oldEvent) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the 30-day-old claim, failure note and sent event are still there after 30 s");
            await Task.Delay(200);
        }

        Assert.Equal(3, await CountAsync(youngEvent));
    }

    private async Task<long> CountAsync(Guid eventId) =>
        await Database.CountAsync("SELECT count(*) FROM processed_events WHERE consumer = @p0 AND event_id = @p1", Claim, eventId)
        + await Database.CountAsync("SELECT count(*) FROM failed_events WHERE consumer = @p0 AND event_id = @p1", Claim, eventId)
        + await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE event_id = @p0", eventId);
}
