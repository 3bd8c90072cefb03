using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderSaga.Messaging.Storage;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Topology;

namespace OrderSaga.Messaging.Consuming;

/// <summary>
/// The consume loop of one saga role: reads <c>order-events</c> in its own consumer group in batches of what is
/// already fetched, hands each batch to the <see cref="EventProcessor"/> (every partition's messages in order), and
/// stores the partitions' offsets only after the batch's effects (or dead letters) are durable. Nothing is skipped
/// silently.
/// </summary>
public sealed class SagaConsumer(
    KafkaClientFactory clients,
    EventProcessor processor,
    IOptions<ConsumerOptions> options,
    TimeProvider time,
    ILogger<SagaConsumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var consumer = clients.CreateConsumer(settings.GroupId, settings.InstanceId);
        consumer.Subscribe(Topics.OrderEvents);
        logger.LogInformation("Consuming {Topic} as group {ConsumerGroup} for {EventTypes}", Topics.OrderEvents, settings.GroupId, string.Join(", ", processor.EventTypes));

        // Once asked to stop, no new batch is taken, but the batch in hand may finish for a while: a deploy should
        // not throw away work that is about to commit. Past the grace it is abandoned, its transaction rolled back.
        using var abandon = new CancellationTokenSource();
        await using var graceOnStop = stoppingToken.Register(() => abandon.CancelAfter(settings.ShutdownGrace));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = NextBatch(consumer, settings.MaxBatchSize, stoppingToken);
                if (batch.Count == 0)
                {
                    await Task.Delay(settings.InitialBackoff, time, stoppingToken);
                    continue;
                }

                if (!await TryProcessAsync(consumer, batch, abandon.Token))
                {
                    await Task.Delay(settings.MaxBackoff, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Leaves the group at once and commits the stored offsets, so a restart resumes where we stopped.
            consumer.Close();
            logger.LogInformation("Stopped consuming {Topic} as group {ConsumerGroup}; offsets committed up to the last applied event", Topics.OrderEvents, settings.GroupId);
        }
    }

    /// <summary>Waits for one message, then takes what else has already arrived, up to <paramref name="maxCount"/>.</summary>
    private List<ConsumeResult<string, byte[]>> NextBatch(IConsumer<string, byte[]> consumer, int maxCount, CancellationToken stoppingToken)
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

                next = batch.Count < maxCount ? consumer.Consume(TimeSpan.Zero) : null;
            }
        }
        catch (ConsumeException ex)
        {
            logger.LogWarning(ex, "Consuming {Topic} failed: {Reason}", Topics.OrderEvents, ex.Error.Reason);
        }

        return batch;
    }

    /// <summary>Processes a batch; false when it could not be finished and will be read again.</summary>
    private async Task<bool> TryProcessAsync(IConsumer<string, byte[]> consumer, List<ConsumeResult<string, byte[]>> batch, CancellationToken stoppingToken)
    {
        var partitions = batch.GroupBy(result => result.TopicPartition).ToList();
        try
        {
            await processor.ProcessAsync(batch, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // PostgreSQL is away, or not even a dead letter could be written (the broker may be down): read the
            // messages again rather than move past them; the ones already applied are no-ops the second time.
            if (DatabaseOutage.IsOutage(ex))
            {
                logger.LogWarning("PostgreSQL is unavailable ({Reason}); {Topic} waits at {Positions}",
                    ex.GetBaseException().Message, Topics.OrderEvents, Positions(partitions));
            }
            else
            {
                logger.LogError(ex, "Could not finish {Topic} from {Positions}; it will be consumed again", Topics.OrderEvents, Positions(partitions));
            }

            foreach (var partition in partitions)
            {
                Rewind(consumer, partition.First());
            }

            return false;
        }

        foreach (var partition in partitions)
        {
            StoreOffset(consumer, partition.Last());
        }

        return true;
    }

    private static string Positions(IEnumerable<IGrouping<TopicPartition, ConsumeResult<string, byte[]>>> partitions) =>
        string.Join(", ", partitions.Select(partition => $"{partition.Key.Partition.Value}@{partition.First().Offset.Value}"));

    private void StoreOffset(IConsumer<string, byte[]> consumer, ConsumeResult<string, byte[]> result)
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

    private void Rewind(IConsumer<string, byte[]> consumer, ConsumeResult<string, byte[]> result)
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
