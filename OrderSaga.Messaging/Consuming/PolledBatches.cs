using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OrderSaga.Messaging.Storage;
using OrderSaga.Topology;

namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// The batches one consumer polls, and where each leaves the consumer: after its work is done, every partition's
/// offset stored past its last message; after a failure, every partition of the batch rewound to its first message,
/// so the whole batch is read again and nothing after a failed event is stored past it.
/// </summary>
internal sealed class PolledBatches(IConsumer<string, byte[]> consumer, string topic, ILogger logger)
{
    /// <summary>
    /// Waits for one message, then takes what else arrives until the <paramref name="window"/> lets the batch go
    /// (at once after a batch of one), up to <paramref name="maxCount"/>.
    /// </summary>
    public List<ConsumeResult<string, byte[]>> Next(int maxCount, BatchWindow window, CancellationToken stoppingToken)
    {
        var batch = new List<ConsumeResult<string, byte[]>>();
        try
        {
            var next = consumer.Consume(stoppingToken);
            while (next is not null)
            {
                if (next.Message is not null)
                {
                    batch.Add(next);
                }

                next = batch.Count < maxCount ? consumer.Consume(window.WaitBeforeTaking()) : null;
            }

            window.Took(batch.Count);
        }
        catch (ConsumeException ex)
        {
            logger.LogWarning(ex, "Consuming {Topic} failed: {Reason}", topic, ex.Error.Reason);
        }

        return batch;
    }

    /// <summary>Processes a batch with <paramref name="process"/>; false when it could not be finished and will be read again.</summary>
    public async Task<bool> TryProcessAsync(
        List<ConsumeResult<string, byte[]>> batch,
        Func<IReadOnlyList<ConsumeResult<string, byte[]>>, CancellationToken, Task> process,
        CancellationToken cancellationToken)
    {
        var partitions = batch.GroupBy(result => result.TopicPartition).ToList();
        try
        {
            await process(batch, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // PostgreSQL is away, or not even a dead letter could be written (the broker may be down): read the
            // messages again rather than move past them; the ones already applied are no-ops the second time.
            if (DatabaseOutage.IsOutage(ex))
            {
                logger.LogWarning("PostgreSQL is unavailable ({Reason}); {Topic} waits at {Positions}",
                    ex.GetBaseException().Message, topic, Positions(partitions));
            }
            else
            {
                logger.LogError(ex, "Could not finish {Topic} from {Positions}; it will be consumed again", topic, Positions(partitions));
            }

            foreach (var partition in partitions)
            {
                Rewind(partition.First());
            }

            return false;
        }

        foreach (var partition in partitions)
        {
            StoreOffset(partition.Last());
        }

        return true;
    }

    private static string Positions(IEnumerable<IGrouping<TopicPartition, ConsumeResult<string, byte[]>>> partitions) =>
        string.Join(", ", partitions.Select(partition => $"{partition.Key.Partition.Value}@{partition.First().Offset.Value}"));

    private void StoreOffset(ConsumeResult<string, byte[]> result)
    {
        try
        {
            consumer.StoreOffset(result);
        }
        catch (KafkaException ex)
        {
            // The partition moved to another consumer during a rebalance; it will deliver these messages again
            // and the once-only claims absorb the repeat.
            logger.LogWarning("Offset {Offset} of {Topic}/{Partition} not stored: {Reason}", result.Offset.Value, result.Topic, result.Partition.Value, ex.Error.Reason);
        }
    }

    private void Rewind(ConsumeResult<string, byte[]> result)
    {
        try
        {
            consumer.Seek(result.TopicPartitionOffset);
        }
        catch (KafkaException ex)
        {
            logger.LogWarning("Could not rewind {Topic}/{Partition} to {Offset}: {Reason}", result.Topic, result.Partition.Value, result.Offset.Value, ex.Error.Reason);
        }
    }
}
