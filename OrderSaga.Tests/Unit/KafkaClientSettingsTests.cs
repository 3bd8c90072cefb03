using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Kafka;

namespace OrderSaga.Tests.Unit;

/// <summary>How a client's librdkafka settings are composed: our defaults, then Kafka:Client, then its kind's section.</summary>
public sealed class KafkaClientSettingsTests
{
    [Fact]
    public void A_managed_cluster_s_security_settings_said_once_reach_producers_and_consumers()
    {
        var clients = Factory(options => options.Client = new()
        {
            ["security.protocol"] = "SASL_SSL",
            ["sasl.mechanism"] = "PLAIN",
            ["sasl.username"] = "ordersaga",
        });

        foreach (ClientConfig config in (ClientConfig[])[clients.ProducerConfig(), clients.ConsumerConfig(new ConsumerOptions { GroupId = "inventory" })])
        {
            Assert.Equal("SASL_SSL", config.Get("security.protocol"));
            Assert.Equal("PLAIN", config.Get("sasl.mechanism"));
            Assert.Equal("ordersaga", config.Get("sasl.username"));
        }
    }

    [Fact]
    public void A_kind_s_own_section_wins_over_the_client_section_which_wins_over_our_defaults()
    {
        var clients = Factory(options =>
        {
            options.Client = new() { ["linger.ms"] = "5", ["client.id"] = "shared" };
            options.Producer = new() { ["linger.ms"] = "20" };
        });

        var producer = clients.ProducerConfig();

        Assert.Equal(20, producer.LingerMs);
        Assert.Equal("shared", producer.ClientId);
        Assert.Equal(Acks.All, producer.Acks);
    }

    [Fact]
    public void What_a_client_buffers_is_bounded_well_below_a_container_s_memory_limit()
    {
        var clients = Factory(_ => { });
        var consumer = clients.ConsumerConfig(new ConsumerOptions { GroupId = "inventory" });

        // librdkafka's own: 1 GiB of unsent messages per producer, 64 MiB pre-fetched per consumer.
        Assert.InRange(clients.ProducerConfig().QueueBufferingMaxKbytes ?? int.MaxValue, 1, 32 * 1024);
        Assert.InRange(consumer.QueuedMaxMessagesKbytes ?? int.MaxValue, 1, 32 * 1024);
        Assert.InRange(consumer.FetchMaxBytes ?? int.MaxValue, 1, 32 * 1024 * 1024);
    }

    [Fact]
    public void A_consumer_given_an_instance_id_is_a_static_member_of_its_group_and_one_without_is_not()
    {
        var clients = Factory(_ => { });

        Assert.Equal("inventory-0", clients.ConsumerConfig(new ConsumerOptions { GroupId = "inventory", InstanceId = "inventory-0" }).GroupInstanceId);
        Assert.Null(clients.ConsumerConfig(new ConsumerOptions { GroupId = "inventory" }).GroupInstanceId);
        Assert.Null(clients.ConsumerConfig(new ConsumerOptions { GroupId = "inventory", InstanceId = "" }).GroupInstanceId);
    }

    [Fact]
    public void A_consumer_may_take_as_long_between_polls_as_its_options_say()
    {
        var clients = Factory(_ => { });

        Assert.Equal(120_000, clients.ConsumerConfig(new ConsumerOptions { GroupId = "inventory", MaxPollInterval = TimeSpan.FromMinutes(2) }).MaxPollIntervalMs);
    }

    private static KafkaClientFactory Factory(Action<KafkaClientOptions> configure)
    {
        var options = new KafkaClientOptions { BootstrapServers = "broker-1:9092" };
        configure(options);
        return new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);
    }
}
