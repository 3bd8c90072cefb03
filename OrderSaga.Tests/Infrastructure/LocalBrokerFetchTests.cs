using Confluent.Kafka;
using OrderSaga.AppHost.Infrastructure;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// The local broker answers a waiting fetch when data arrives, as Kafka does, so consumers keep Kafka's long fetch
/// wait and a record still reaches them at once. librdkafka's mock alone holds the fetch for its whole wait.
/// </summary>
public sealed class LocalBrokerFetchTests : IDisposable
{
    private static readonly TimeSpan FetchWait = TimeSpan.FromSeconds(20);

    private readonly StandInServers _servers = StandInServers.Start(partitions: 1);
    private readonly string _topic = SagaTopics.WithPrefix(null).OrderEvents;
    private readonly IProducer<string, string> _producer;

    public LocalBrokerFetchTests() =>
        _producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Bootstrap, Acks = Acks.All }).Build();

    private string Bootstrap => _servers.ConnectionStrings[ResourceNames.Kafka];

    [Fact]
    public async Task A_consumer_waiting_for_data_gets_a_record_as_soon_as_it_is_produced_not_when_its_wait_runs_out()
    {
        using var consumer = WaitingConsumer();
        // Within this second the consumer sends its first fetch, which finds nothing and waits.
        Assert.Null(consumer.Consume(TimeSpan.FromSeconds(1)));

        await _producer.ProduceAsync(_topic, new Message<string, string> { Key = "order", Value = "created" });

        var consumed = consumer.Consume(FetchWait / 2);
        Assert.True(consumed is not null, $"The record did not arrive within {FetchWait / 2}: the broker held the fetch for its wait of {FetchWait}.");
        Assert.Equal("created", consumed.Message.Value);
    }

    [Fact]
    public async Task A_consumer_behind_gets_every_record_without_waiting_between_fetches()
    {
        // One produce request each: the mock answers a fetch with one of them at a time, so a consumer catching up
        // fetches once per record, and would wait out its fetch wait every time if those fetches were held.
        const int records = 20;
        for (var record = 0; record < records; record++)
        {
            await _producer.ProduceAsync(_topic, new Message<string, string> { Key = "order", Value = $"event {record}" });
        }

        using var consumer = WaitingConsumer();

        var consumed = 0;
        var deadline = DateTime.UtcNow + FetchWait / 2;
        while (consumed < records && DateTime.UtcNow < deadline)
        {
            consumed += consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } ? 1 : 0;
        }

        Assert.True(consumed == records, $"{consumed} of {records} records within {FetchWait / 2}: fetches that found records were followed by held ones.");
    }

    /// <summary>A consumer of the topic's first partition from its beginning, with a fetch wait far longer than any answer should take.</summary>
    private IConsumer<string, string> WaitingConsumer()
    {
        var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = Bootstrap,
            GroupId = "fetch-wait-check",
            EnableAutoCommit = false,
            FetchWaitMaxMs = (int)FetchWait.TotalMilliseconds,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(_topic, 0, Offset.Beginning));
        return consumer;
    }

    public void Dispose()
    {
        _producer.Dispose();
        _servers.Dispose();
    }
}
