using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Topology;

namespace OrderSaga.Messaging.DeadLetters;

/// <summary>
/// Reads <c>order-events.dlq</c> for operators and sends chosen dead letters back to <c>order-events</c> once the
/// cause is fixed. A re-driven event keeps its event id, so consumers that did handle it skip it by their
/// once-only claims and only the one that failed acts on it.
/// </summary>
public sealed class DeadLetterArchive(KafkaClientFactory clients, SagaProducer producer, SagaTopics topics, ILogger<DeadLetterArchive> logger)
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The latest <paramref name="perPartition"/> dead letters of each partition, newest first.</summary>
    public Task<List<DeadLetter>> ListAsync(int perPartition, CancellationToken cancellationToken) =>
        Task.Run(() => List(perPartition, cancellationToken), cancellationToken);

    public async Task<List<RedriveOutcome>> RedriveAsync(IReadOnlyList<DeadLetterPosition> positions, CancellationToken cancellationToken)
    {
        var outcomes = new List<RedriveOutcome>(positions.Count);
        foreach (var position in positions.Distinct())
        {
            var parked = await Task.Run(() => Read(position, cancellationToken), cancellationToken);
            if (parked is null)
            {
                outcomes.Add(new RedriveOutcome(position.Partition, position.Offset, null, Redriven: false, "no dead letter at this position"));
                continue;
            }

            await producer.ProduceAsync(topics.OrderEvents, new Message<string, byte[]>
            {
                Key = parked.Message.Key,
                Value = parked.Message.Value,
                Headers = OriginalHeaders(parked.Message.Headers),
            }, cancellationToken);
            logger.LogWarning("Re-drove dead letter {Topic}/{Partition}@{Offset} of order {OrderId} to {TargetTopic}",
                topics.DeadLetters, position.Partition, position.Offset, parked.Message.Key, topics.OrderEvents);
            outcomes.Add(new RedriveOutcome(position.Partition, position.Offset, parked.Message.Key, Redriven: true, null));
        }

        return outcomes;
    }

    private List<DeadLetter> List(int perPartition, CancellationToken cancellationToken)
    {
        using var consumer = clients.CreateReader();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var ends = admin.GetMetadata(topics.DeadLetters, BrokerTimeout).Topics.Single().Partitions
            .Select(partition => new TopicPartition(topics.DeadLetters, partition.PartitionId))
            .ToDictionary(partition => partition, partition => consumer.QueryWatermarkOffsets(partition, BrokerTimeout));
        var unread = ends.Where(end => end.Value.High > end.Value.Low).ToDictionary(end => end.Key, end => end.Value.High.Value);
        consumer.Assign(unread.Keys.Select(partition =>
            new TopicPartitionOffset(partition, Math.Max(ends[partition].Low.Value, ends[partition].High.Value - perPartition))));

        var letters = new List<DeadLetter>();
        var deadline = DateTime.UtcNow + BrokerTimeout;
        while (unread.Count > 0 && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { Message: not null } result)
            {
                continue;
            }

            letters.Add(DeadLetter.From(result));
            if (result.Offset.Value >= unread[result.TopicPartition] - 1)
            {
                unread.Remove(result.TopicPartition);
            }
        }

        return [.. letters.OrderByDescending(letter => letter.ParkedAt)];
    }

    private ConsumeResult<string, byte[]>? Read(DeadLetterPosition position, CancellationToken cancellationToken)
    {
        using var consumer = clients.CreateReader();
        var partition = new TopicPartition(topics.DeadLetters, position.Partition);
        var end = consumer.QueryWatermarkOffsets(partition, BrokerTimeout);
        if (position.Offset < end.Low.Value || position.Offset >= end.High.Value)
        {
            return null;
        }

        consumer.Assign(new TopicPartitionOffset(partition, position.Offset));
        var deadline = DateTime.UtcNow + BrokerTimeout;
        while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } result)
            {
                return result.Offset.Value == position.Offset ? result : null;
            }
        }

        return null;
    }

    /// <summary>The headers the message had before it first failed: its trace context and identity, not its failures.</summary>
    private static Headers OriginalHeaders(Headers? parked)
    {
        var headers = new Headers();
        foreach (var header in parked ?? [])
        {
            if (!MessageHeaders.RecordsFailure(header.Key))
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }

        return headers;
    }
}
