using System.Text;
using Confluent.Kafka;

namespace OrderSaga.Tests.Saga;

/// <summary>Talks to the broker directly, as an operator or a misbehaving producer would.</summary>
public sealed class SagaBroker(string bootstrapServers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public async Task<TopicPartitionOffset> ProduceAsync(string key, byte[] value)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true, Acks = Acks.All }).Build();
        var delivery = await producer.ProduceAsync(Topics.OrderEvents, new Message<string, byte[]> { Key = key, Value = value });
        return delivery.TopicPartitionOffset;
    }

    public Task<TopicPartitionOffset> ProduceAsync(string key, string value) => ProduceAsync(key, Encoding.UTF8.GetBytes(value));

    /// <summary>Waits until every saga consumer group has committed past <paramref name="position"/>, i.e. handled it.</summary>
    public async Task WaitUntilConsumedAsync(TopicPartitionOffset position)
    {
        var deadline = DateTime.UtcNow + Timeout;
        foreach (var group in SagaRoles.Consumers)
        {
            // Committed() only fetches offsets; it does not join the group, so the workers are not disturbed.
            using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = group }).Build();
            while (consumer.Committed([position.TopicPartition], TimeSpan.FromSeconds(10)).Single().Offset.Value <= position.Offset.Value)
            {
                Assert.True(DateTime.UtcNow < deadline, $"group {group} did not commit past {position} within {Timeout.TotalSeconds} s");
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Reads <paramref name="topic"/> from the start in a fresh group until <paramref name="done"/> holds for what was read.</summary>
    public List<ConsumeResult<string, byte[]>> ReadUntil(string topic, Func<IReadOnlyList<ConsumeResult<string, byte[]>>, bool> done)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"test-reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var read = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + Timeout;
        while (!done(read))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{topic} did not hold the expected messages within {Timeout.TotalSeconds} s; read {read.Count}");
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message: not null } result)
            {
                read.Add(result);
            }
        }

        consumer.Close();
        return read;
    }

    public static string Header(ConsumeResult<string, byte[]> result, string name) =>
        result.Message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : "";
}
