using System.Text;
using Confluent.Kafka;
using OrderSaga.AppHost.HealthChecks;
using OrderSaga.AppHost.Infrastructure;
using StackExchange.Redis;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>Each server answers real clients through the connection string the AppHost hands the services.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class ServerConnectionTests(SagaAppFixture fixture)
{
    [Fact]
    public async Task Kafka_delivers_a_message_to_a_consumer_group_with_key_and_headers()
    {
        var bootstrap = await fixture.ConnectionStringAsync(ResourceNames.Kafka);
        var key = Guid.NewGuid().ToString();

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, Acks = Acks.All }).Build())
        {
            await producer.ProduceAsync(SagaAppFixture.SmokeTopic, new Message<string, string>
            {
                Key = key,
                Value = "hello",
                Headers = new Headers { { "event-type", Encoding.UTF8.GetBytes("Smoke") } },
            });
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"smoke-{key}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(SagaAppFixture.SmokeTopic);

        var received = consumer.ConsumeUntil(result => result.Message.Key == key, TimeSpan.FromSeconds(60));

        Assert.NotNull(received);
        Assert.Equal("hello", received.Message.Value);
        Assert.True(received.Message.Headers.TryGetLastBytes("event-type", out var eventType));
        Assert.Equal("Smoke", Encoding.UTF8.GetString(eventType));
        consumer.Close();
    }

    [Fact]
    public async Task The_local_broker_names_the_address_clients_dial_as_its_own()
    {
        var bootstrap = await fixture.ConnectionStringAsync(ResourceNames.Kafka);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();

        var broker = Assert.Single(admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers);

        // As a real broker's, its address outlives a restart: the mock's own listener takes a new port each time.
        Assert.Equal(new Uri($"tcp://{bootstrap}").Port, broker.Port);
        await ServerProbes.KafkaAsync(BrokerAddresses.Dialled)(bootstrap, CancellationToken.None);
    }

    [Fact]
    public async Task Redis_honours_set_if_absent_with_a_time_to_live()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.ConnectionStringAsync(ResourceNames.Redis));
        var db = redis.GetDatabase();
        var key = $"smoke:{Guid.NewGuid()}";

        Assert.True(await db.StringSetAsync(key, "first", TimeSpan.FromMinutes(5), When.NotExists));
        Assert.False(await db.StringSetAsync(key, "second", TimeSpan.FromMinutes(5), When.NotExists));
        Assert.Equal("first", (string?)await db.StringGetAsync(key));
        var ttl = await db.KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }
}
