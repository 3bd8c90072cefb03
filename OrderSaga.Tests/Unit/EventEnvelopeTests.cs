using System.Text;
using Microsoft.Extensions.Time.Testing;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Tests.Unit;

public sealed class EventEnvelopeTests
{
    [Fact]
    public void An_envelope_round_trips_in_the_wire_format()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        var orderId = Guid.NewGuid();
        var envelope = EventEnvelope.Create(orderId, new InventoryFailed("OUT_OF_STOCK", "prod-webcam"), time);

        var json = envelope.ToJson();
        Assert.True(EventEnvelope.TryParse(Encoding.UTF8.GetBytes(json), out var parsed, out var error), error);

        Assert.Contains("\"event_id\"", json);
        Assert.Contains("\"occurred_at\":\"2026-11-26T10:00:00+00:00\"", json);
        Assert.Contains("\"product_id\":\"prod-webcam\"", json);
        Assert.Equal("InventoryFailed", parsed.Type);
        Assert.Equal(orderId, parsed.OrderId);
        Assert.Equal(new InventoryFailed("OUT_OF_STOCK", "prod-webcam"), parsed.PayloadAs<InventoryFailed>());
    }

    [Fact]
    public void An_event_published_in_one_pass_is_written_as_its_envelope_would_be()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        var payload = new OrderCreated("u1", [new OrderLine("prod-mouse", 2, 19.99m), new OrderLine("prod-pad", 1, 5m)], 44.98m);
        var envelope = EventEnvelope.Create(Guid.NewGuid(), payload, time);

        Assert.Equal(envelope.ToJson(), EventEnvelope.ToJson(envelope.EventId, envelope.OrderId, envelope.OccurredAt, payload));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("""{"type":"OrderCreated","order_id":"6f1c2a9e-0000-4000-8000-000000000001","occurred_at":"2026-11-26T10:00:00Z","payload":{}}""")]
    [InlineData("""{"event_id":"6f1c2a9e-0000-4000-8000-000000000002","type":"OrderCreated","order_id":"6f1c2a9e-0000-4000-8000-000000000001","occurred_at":"2026-11-26T10:00:00Z","payload":[]}""")]
    public void Anything_that_is_not_a_complete_envelope_is_refused_with_a_reason(string message)
    {
        Assert.False(EventEnvelope.TryParse(Encoding.UTF8.GetBytes(message), out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Reading_a_payload_as_another_event_type_fails()
    {
        var envelope = EventEnvelope.Create(Guid.NewGuid(), new PaymentFailed("CARD_DECLINED"), TimeProvider.System);

        Assert.Throws<InvalidOperationException>(() => envelope.PayloadAs<PaymentCompleted>());
    }

    [Fact]
    public void A_payload_of_a_later_version_reads_here_and_one_of_this_version_reads_there()
    {
        // A later PaymentFailed with an optional field more: this release ignores it, the later one defaults it.
        var later = System.Text.Json.JsonSerializer.Deserialize<PaymentFailed>("""{"reason":"CARD_DECLINED","detail":"expired","attempt":2}""", EventJson.Options);
        var earlier = System.Text.Json.JsonSerializer.Deserialize<NextPaymentFailed>("""{"reason":"CARD_DECLINED"}""", EventJson.Options);

        Assert.Equal(new PaymentFailed("CARD_DECLINED"), later);
        Assert.Equal(new NextPaymentFailed("CARD_DECLINED", null, 1), earlier);
    }

    [Fact]
    public void A_payload_without_a_field_this_version_requires_does_not_read()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<PaymentFailed>("""{"detail":"expired"}""", EventJson.Options));
    }

    /// <summary>PaymentFailed as a later release might write it: the new fields optional, with defaults.</summary>
    private sealed record NextPaymentFailed(string Reason, string? Detail = null, int Attempt = 1);
}
