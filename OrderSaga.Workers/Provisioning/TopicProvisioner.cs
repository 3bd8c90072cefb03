using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;
using OrderSaga.Topology;

namespace OrderSaga.Workers.Provisioning;

/// <summary>Creates the saga's topics when the broker does not have them yet.</summary>
public sealed class TopicProvisioner(IProducer<string, byte[]> producer, IOptions<TopicOptions> options, ILogger<TopicProvisioner> logger)
{
    public async Task EnsureTopicsAsync(CancellationToken cancellationToken)
    {
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        var existing = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics
            .Where(topic => topic.Error.Code == ErrorCode.NoError)
            .Select(topic => topic.Topic)
            .ToHashSet();

        var wanted = new[]
        {
            Specification(Topics.OrderEvents, options.Value.OrderEvents),
            Specification(Topics.DeadLetters, options.Value.DeadLetters),
        };
        var missing = wanted.Where(topic => !existing.Contains(topic.Name)).ToList();
        if (missing.Count == 0)
        {
            logger.LogInformation("Topics {Topics} already exist", string.Join(", ", wanted.Select(t => t.Name)));
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
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

    private static TopicSpecification Specification(string name, TopicSettings settings) => new()
    {
        Name = name,
        NumPartitions = settings.Partitions,
        ReplicationFactor = settings.ReplicationFactor,
    };
}
