using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderSaga.Messaging.Kafka;

namespace OrderSaga.Tests.Unit;

/// <summary>The producer behind every relay and dead letter: rebuilt after a fatal error, and honest about delivering.</summary>
public sealed class SagaProducerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly SagaProducer _producer;

    public SagaProducerTests()
    {
        // Nothing listens on port 1: every message times out quickly, as with a broker that takes nothing.
        var options = Options.Create(new KafkaClientOptions
        {
            BootstrapServers = "127.0.0.1:1",
            Producer = new() { ["message.timeout.ms"] = "200" },
        });
        _producer = new SagaProducer(new KafkaClientFactory(options, NullLoggerFactory.Instance), _time, NullLogger<SagaProducer>.Instance);
    }

    [Fact]
    public void A_fatal_error_gets_a_new_producer_before_the_next_message()
    {
        _producer.OnError(new Error(ErrorCode.Local_Fatal, "producer fenced", isFatal: true));
        using var admin = _producer.CreateAdminClient();

        Assert.Equal(1, _producer.Rebuilds);
    }

    [Fact]
    public void An_error_that_is_not_fatal_keeps_the_producer()
    {
        _producer.OnError(new Error(ErrorCode.Local_Transport, "broker transport failure"));
        using var admin = _producer.CreateAdminClient();

        Assert.Equal(0, _producer.Rebuilds);
    }

    [Fact]
    public async Task A_producer_that_delivers_nothing_for_ten_seconds_is_reported_unhealthy()
    {
        var health = new KafkaHealthCheck(_producer, new BrokerMetadataReader(_producer, _time), _time);
        var registration = new HealthCheckRegistration("kafka", health, HealthStatus.Unhealthy, null);

        await Assert.ThrowsAsync<ProduceException<string, byte[]>>(() =>
            _producer.ProduceAsync("order-events", new Message<string, byte[]> { Key = "k", Value = [1] }, CancellationToken.None));
        _time.Advance(KafkaHealthCheck.CannotDeliverAfter);
        var result = await health.CheckHealthAsync(new HealthCheckContext { Registration = registration });

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("delivered nothing since", result.Description);
    }

    [Fact]
    public async Task Work_that_waits_for_deliveries_waits_once_every_broker_is_reported_down()
    {
        // librdkafka reports it by itself soon enough, as nothing answers on port 1; said here, it is not waited for.
        _producer.OnError(new Error(ErrorCode.Local_AllBrokersDown, "1/1 brokers are down"));

        // And the look at the broker finds it still away.
        Assert.False(await _producer.CanDeliverAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Work_that_waits_for_deliveries_waits_after_a_failed_delivery_while_the_broker_does_not_answer()
    {
        await Assert.ThrowsAsync<ProduceException<string, byte[]>>(() =>
            _producer.ProduceAsync("order-events", new Message<string, byte[]> { Key = "k", Value = [1] }, CancellationToken.None));

        Assert.False(await _producer.CanDeliverAsync(CancellationToken.None));
    }

    public void Dispose() => _producer.Dispose();
}
