using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Topology;

namespace OrderSaga.Workers.Provisioning;

/// <summary>
/// Creates the saga's topics when the broker does not have them yet, grows them when more partitions are
/// configured, and refuses to start when fewer are: a setting that is silently ignored misleads.
/// </summary>
public sealed class TopicProvisioner(SagaProducer producer, SagaTopics topics, IOptions<TopicOptions> options, ILogger<TopicProvisioner> logger)
{
    public async Task EnsureTopicsAsync(CancellationToken cancellationToken)
    {
        using var admin = producer.CreateAdminClient();
        var existing = ExistingTopics.Read(admin, TimeSpan.FromSeconds(10));

        var wanted = new[]
        {
            options.Value.Specification(topics.OrderEvents, options.Value.Partitions),
            options.Value.Specification(topics.DeadLetters, partitions: 1),
        };
        var changes = wanted.Select(topic => TopicChange.For(topic.Name, topic.NumPartitions, existing.TryGetValue(topic.Name, out var count) ? count : null)).ToList();
        cancellationToken.ThrowIfCancellationRequested();

        await CreateAsync(admin, [.. wanted.Where(topic => changes.OfType<TopicChange.Create>().Any(create => create.Topic == topic.Name))]);
        foreach (var grow in changes.OfType<TopicChange.AddPartitions>())
        {
            // New partitions take their share of keys from now on: an order in flight may continue on another
            // partition, so its remaining events are no longer ordered after the ones already sent.
            await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = grow.Topic, IncreaseTo = grow.To }]);
            logger.LogWarning("Grew {Topic} from {From} to {To} partitions; orders in flight may see their events reordered once", grow.Topic, grow.From, grow.To);
        }

        if (changes.All(change => change is TopicChange.None))
        {
            logger.LogInformation("Topics {Topics} already exist as configured", string.Join(", ", wanted.Select(t => t.Name)));
        }
    }

    private async Task CreateAsync(IAdminClient admin, List<TopicSpecification> missing)
    {
        if (missing.Count == 0)
        {
            return;
        }

        try
        {
            await admin.CreateTopicsAsync(missing);
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Another instance created them between our look and our request.
        }

        logger.LogInformation("Created topics {Topics}", string.Join(", ", missing.Select(t => $"{t.Name} ({t.NumPartitions} partitions)")));
    }
}
