using Confluent.Kafka;
using OrderSaga.AppHost.Infrastructure;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// The local broker restarted as a real one is: on its own address. Clients that knew it before carry on without
/// being rebuilt, as the saga's long-lived producers and consumers must.
/// </summary>
public sealed class BrokerRestartTests
{
    [Fact]
    public async Task A_producer_and_a_consumer_from_before_a_restart_of_the_local_broker_work_after_it()
    {
        using var servers = StandInServers.Start(partitions: 1);
        var bootstrap = servers.ConnectionStrings[ResourceNames.Kafka];
        var topic = SagaTopics.WithPrefix(null).OrderEvents;
        // Neither client may go back to its bootstrap address: librdkafka does so only when every broker it knows
        // has failed in a certain way (once, in a drill, a producer kept calling the mock's old listener for six
        // minutes), so only a broker that keeps its address brings every client back.
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = 30_000,
            MetadataRecoveryStrategy = MetadataRecoveryStrategy.None,
        }).Build();
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "restart-check",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            MetadataRecoveryStrategy = MetadataRecoveryStrategy.None,
        }).Build();
        consumer.Subscribe(topic);

        await producer.ProduceAsync(topic, new Message<string, string> { Key = "before", Value = "before" });
        Assert.Equal("before", consumer.ConsumeUntil(result => result.Message.Key == "before", TimeSpan.FromSeconds(60))?.Message.Value);

        await servers.RestartBrokerAsync(downtime: TimeSpan.FromSeconds(5));

        // The mock comes back with an empty log, so offsets start again at 0 while the consumer goes on from 1:
        // the second message is the first it can be given.
        foreach (var value in (string[])["after", "after again"])
        {
            var delivered = await producer.ProduceAsync(topic, new Message<string, string> { Key = "after", Value = value });
            Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        }

        Assert.Equal("after again", consumer.ConsumeUntil(result => result.Message.Key == "after", TimeSpan.FromSeconds(60))?.Message.Value);
        consumer.Close();
    }
}
