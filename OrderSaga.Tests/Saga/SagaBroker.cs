using System.Text;
using Confluent.Kafka;

namespace OrderSaga.Tests.Saga;

/// <summary>Talks to the broker directly, as an operator or a misbehaving producer would.</summary>
public sealed class SagaBroker(string bootstrapServers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public async Task<TopicPartitionOffset> ProduceAsync(string key, byte[] value, string topic = Topics.OrderEvents, Headers? headers = null)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true, Acks = Acks.All }).Build();
        var delivery = await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = value, Headers = headers });
        return delivery.TopicPartitionOffset;
    }

    public Task<TopicPartitionOffset> ProduceAsync(string key, string value) => ProduceAsync(key, Encoding.UTF8.GetBytes(value));

    /// <summary>Produces <paramref name="value"/> once onto every partition of <c>order-events</c>, so no order's partition is spared.</summary>
    public async Task<List<TopicPartitionOffset>> ProduceToEveryPartitionAsync(string key, byte[] value)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true, Acks = Acks.All }).Build();
        var positions = new List<TopicPartitionOffset>();
        foreach (var partition in Partitions(producer.Handle, Topics.OrderEvents))
        {
            positions.Add((await producer.ProduceAsync(partition, new Message<string, byte[]> { Key = key, Value = value })).TopicPartitionOffset);
        }

        return positions;
    }

    /// <summary>
    /// Sets a consumer group back to the start of <c>order-events</c>, as an operator's offset reset does: its
    /// members then read every event once more. The group must have no members meanwhile. Returns how many messages
    /// the group had already consumed and will be given again.
    /// </summary>
    public long ResetToBeginning(string group)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Latest,
            // Should its leaving go unnoticed, the group's next members wait this long for it, not five minutes.
            SessionTimeoutMs = 6_000,
            MaxPollIntervalMs = 6_000,
        }).Build();
        var partitions = Partitions(consumer.Handle, Topics.OrderEvents);
        // Commits are taken from the group's members, so this joins the group, alone, and is given every partition.
        consumer.Subscribe(Topics.OrderEvents);
        var deadline = DateTime.UtcNow + Timeout;
        while (consumer.Assignment.Count < partitions.Count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"not given the partitions of {Topics.OrderEvents} in group {group} within {Timeout.TotalSeconds} s");
            consumer.Consume(TimeSpan.FromMilliseconds(200));
        }

        var before = consumer.Committed(partitions, Timeout);
        var beginning = partitions.Select(partition => new TopicPartitionOffset(partition, consumer.QueryWatermarkOffsets(partition, Timeout).Low)).ToList();
        consumer.Commit(beginning);
        Assert.Equal(beginning, consumer.Committed(partitions, Timeout));
        consumer.Close();
        return before.Zip(beginning, (committed, low) => committed.Offset.Value > low.Offset.Value ? committed.Offset.Value - low.Offset.Value : 0).Sum();
    }

    /// <summary>Where each partition of <paramref name="topic"/> begins and ends now.</summary>
    private Dictionary<TopicPartition, WatermarkOffsets> Watermarks(string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = $"test-reader-{Guid.NewGuid():N}" }).Build();
        return Partitions(consumer.Handle, topic).ToDictionary(partition => partition, partition => consumer.QueryWatermarkOffsets(partition, Timeout));
    }

    /// <summary>Where a consumer group would resume on each partition of <c>order-events</c>, read without joining it.</summary>
    public List<TopicPartitionOffset> Committed(string group)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = group }).Build();
        return consumer.Committed(Partitions(consumer.Handle, Topics.OrderEvents), Timeout);
    }

    /// <summary>Every message from the given positions (of one topic) to their partitions' current ends.</summary>
    public List<ConsumeResult<string, byte[]>> ReadFrom(IReadOnlyList<TopicPartitionOffset> positions)
    {
        if (positions.Count == 0)
        {
            return [];
        }

        var ends = Watermarks(positions[0].Topic).ToDictionary(end => end.Key, end => end.Value.High.Value);
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"test-reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();
        var unread = positions.Where(position => position.Offset.Value >= 0 && position.Offset.Value < ends[position.TopicPartition])
            .Select(position => position.TopicPartition).ToHashSet();
        consumer.Assign(positions.Where(position => unread.Contains(position.TopicPartition)));
        var read = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + Timeout;
        while (unread.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{positions[0].Topic} could not be read to its end within {Timeout.TotalSeconds} s");
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message: not null } result)
            {
                read.Add(result);
                if (result.Offset.Value >= ends[result.TopicPartition] - 1)
                {
                    unread.Remove(result.TopicPartition);
                }
            }
        }

        return read;
    }

    /// <summary>Everything <paramref name="topic"/> holds right now, every partition read up to its end.</summary>
    public List<ConsumeResult<string, byte[]>> ReadToEnd(string topic) =>
        ReadFrom([.. Watermarks(topic).Select(watermark => new TopicPartitionOffset(watermark.Key, watermark.Value.Low))]);

    /// <summary>Waits until every saga consumer group has handled everything <c>order-events</c> holds now.</summary>
    public async Task WaitUntilAllConsumedAsync()
    {
        foreach (var (partition, watermarks) in Watermarks(Topics.OrderEvents).Where(end => end.Value.High.Value > 0))
        {
            await WaitUntilConsumedAsync(new TopicPartitionOffset(partition, watermarks.High.Value - 1));
        }
    }

    private static List<TopicPartition> Partitions(Handle handle, string topic)
    {
        using var admin = new DependentAdminClientBuilder(handle).Build();
        return [.. admin.GetMetadata(topic, Timeout).Topics.Single().Partitions.Select(partition => new TopicPartition(topic, partition.PartitionId))];
    }

    /// <summary>Produces an exact copy of a message read before (key, value and headers), as a redelivery would carry it.</summary>
    public async Task<TopicPartitionOffset> ProduceCopyAsync(ConsumeResult<string, byte[]> original)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true, Acks = Acks.All }).Build();
        var delivery = await producer.ProduceAsync(original.Topic, new Message<string, byte[]>
        {
            Key = original.Message.Key,
            Value = original.Message.Value,
            Headers = original.Message.Headers,
        });
        return delivery.TopicPartitionOffset;
    }

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
