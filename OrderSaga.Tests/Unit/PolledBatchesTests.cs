using System.Reflection;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OrderSaga.Messaging.Consuming;

namespace OrderSaga.Tests.Unit;

/// <summary>Where a polled batch leaves the consumer: offsets stored only for finished work, every partition rewound after a failure.</summary>
public sealed class PolledBatchesTests
{
    [Fact]
    public async Task A_batch_over_several_partitions_is_taken_whole_and_each_partition_stored_past_its_last_message()
    {
        var consumer = FakeConsumer.Create(Messages((0, 10), (1, 4), (0, 11), (2, 7), (1, 5)));
        var polls = new PolledBatches(consumer, Topics.OrderEvents, NullLogger.Instance);

        var batch = polls.Next(maxCount: 200, NoWindow, CancellationToken.None);
        var finished = await polls.TryProcessAsync(batch, (_, _) => Task.CompletedTask, CancellationToken.None);

        Assert.True(finished);
        Assert.Equal(5, batch.Count);
        Assert.Equal(["0@11", "1@5", "2@7"], FakeConsumer.Of(consumer).Stored.Order());
        Assert.Empty(FakeConsumer.Of(consumer).Sought);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failed_batch_rewinds_every_partition_to_its_first_message_and_stores_nothing(Exception failure)
    {
        var consumer = FakeConsumer.Create(Messages((0, 10), (1, 4), (0, 11), (2, 7), (1, 5)));
        var polls = new PolledBatches(consumer, Topics.OrderEvents, NullLogger.Instance);

        var batch = polls.Next(maxCount: 200, NoWindow, CancellationToken.None);
        var finished = await polls.TryProcessAsync(batch, (_, _) => throw failure, CancellationToken.None);

        Assert.False(finished);
        Assert.Equal(["0@10", "1@4", "2@7"], FakeConsumer.Of(consumer).Sought.Order());
        Assert.Empty(FakeConsumer.Of(consumer).Stored);
    }

    public static TheoryData<Exception> Failures => new()
    {
        new InvalidOperationException("a dead letter could not be written"),
        new NpgsqlException("Failed to connect", new IOException("connection refused")),
    };

    [Fact]
    public void A_poll_takes_no_more_than_the_batch_size()
    {
        var consumer = FakeConsumer.Create(Messages([.. Enumerable.Range(0, 10).Select(offset => (0, (long)offset))]));
        var polls = new PolledBatches(consumer, Topics.OrderEvents, NullLogger.Instance);

        Assert.Equal(4, polls.Next(maxCount: 4, NoWindow, CancellationToken.None).Count);
        Assert.Equal(4, polls.Next(maxCount: 4, NoWindow, CancellationToken.None).Count);
        Assert.Equal(2, polls.Next(maxCount: 4, NoWindow, CancellationToken.None).Count);
    }

    [Fact]
    public void A_poll_soon_after_a_batch_of_several_waits_out_the_window_for_more_and_one_after_a_batch_of_one_does_not()
    {
        var consumer = FakeConsumer.Create(Messages([.. Enumerable.Range(0, 7).Select(offset => (0, (long)offset))]));
        var polls = new PolledBatches(consumer, Topics.OrderEvents, NullLogger.Instance);
        var time = new FakeTimeProvider();
        var window = new BatchWindow(TimeSpan.FromMilliseconds(20), time);
        var waits = FakeConsumer.Of(consumer).Waits;

        polls.Next(maxCount: 2, window, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(5));
        polls.Next(maxCount: 2, window, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(100));
        polls.Next(maxCount: 1, window, CancellationToken.None);
        polls.Next(maxCount: 2, window, CancellationToken.None);

        // The first poll had no batch before it; the second came 5 ms after a batch of two; the last right after one of one.
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(15), TimeSpan.Zero], waits);
    }

    private static readonly BatchWindow NoWindow = new(TimeSpan.Zero, TimeProvider.System);

    private static IEnumerable<ConsumeResult<string, byte[]>> Messages(params (int Partition, long Offset)[] positions) =>
        positions.Select(position => new ConsumeResult<string, byte[]>
        {
            Topic = Topics.OrderEvents,
            Partition = new Partition(position.Partition),
            Offset = new Offset(position.Offset),
            Message = new Message<string, byte[]> { Key = "order", Value = [] },
        });

    /// <summary>
    /// A consumer that hands out a fixed list of messages and records where it is asked to seek and which offsets to
    /// store; any other call fails the test.
    /// </summary>
    public class FakeConsumer : DispatchProxy
    {
        private readonly Queue<ConsumeResult<string, byte[]>> _messages = new();

        public List<string> Stored { get; } = [];

        public List<string> Sought { get; } = [];

        /// <summary>How long each poll after a batch's first message was allowed to wait for more.</summary>
        public List<TimeSpan> Waits { get; } = [];

        public static IConsumer<string, byte[]> Create(IEnumerable<ConsumeResult<string, byte[]>> messages)
        {
            var consumer = DispatchProxy.Create<IConsumer<string, byte[]>, FakeConsumer>();
            foreach (var message in messages)
            {
                Of(consumer)._messages.Enqueue(message);
            }

            return consumer;
        }

        public static FakeConsumer Of(IConsumer<string, byte[]> consumer) => (FakeConsumer)(object)consumer;

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            switch (method!.Name, args![0])
            {
                case (nameof(IConsumer<string, byte[]>.Consume), var timeout):
                    if (timeout is TimeSpan wait)
                    {
                        Waits.Add(wait);
                    }

                    return _messages.TryDequeue(out var next) ? next : null;
                case (nameof(IConsumer<string, byte[]>.Seek), TopicPartitionOffset position):
                    Sought.Add($"{position.Partition.Value}@{position.Offset.Value}");
                    return null;
                case (nameof(IConsumer<string, byte[]>.StoreOffset), ConsumeResult<string, byte[]> result):
                    Stored.Add($"{result.Partition.Value}@{result.Offset.Value}");
                    return null;
                default:
                    throw new NotSupportedException($"{method.Name} is not expected of the consume loop");
            }
        }
    }
}
