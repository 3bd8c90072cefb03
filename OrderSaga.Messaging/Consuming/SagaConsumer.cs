using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    SagaTopics topics,
    EventProcessor processor,
    IOptions<ConsumerOptions> options,
    TimeProvider time,
    ILogger<SagaConsumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var consumer = clients.CreateConsumer(settings);
        var polls = new PolledBatches(consumer, topics.OrderEvents, logger);
        var window = new BatchWindow(settings.BatchWindow, time);
        consumer.Subscribe(topics.OrderEvents);
        logger.LogInformation("Consuming {Topic} as group {ConsumerGroup} for {EventTypes}", topics.OrderEvents, settings.GroupId, string.Join(", ", processor.EventTypes));

        // Once asked to stop, no new batch is taken, but the batch in hand may finish for a while: a deploy should
        // not throw away work that is about to commit. Past the grace it is abandoned, its transaction rolled back.
        using var abandon = new CancellationTokenSource();
        await using var graceOnStop = stoppingToken.Register(() => abandon.CancelAfter(settings.ShutdownGrace));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = polls.Next(settings.MaxBatchSize, window, stoppingToken);
                if (batch.Count == 0)
                {
                    await Task.Delay(settings.InitialBackoff, time, stoppingToken);
                    continue;
                }

                if (!await polls.TryProcessAsync(batch, processor.ProcessAsync, abandon.Token))
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
            logger.LogInformation("Stopped consuming {Topic} as group {ConsumerGroup}; offsets committed up to the last applied event", topics.OrderEvents, settings.GroupId);
        }
    }
}
