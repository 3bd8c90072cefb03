using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderSaga.Topology;

namespace OrderSaga.Messaging.Kafka;

/// <summary>
/// Kafka client registration in the spirit of Aspire.Confluent.Kafka (not on our package feed): clients built
/// from the connection string named <paramref name="connectionName"/>, a health check and ILogger logging.
/// </summary>
public static class KafkaClientExtensions
{
    public static IHostApplicationBuilder AddKafkaClients(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.Services.AddOptions<KafkaClientOptions>()
            .BindConfiguration(KafkaClientOptions.Section)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrEmpty(options.BootstrapServers))
                {
                    options.BootstrapServers = configuration.GetConnectionString(connectionName)
                        ?? throw new InvalidOperationException($"Kafka needs ConnectionStrings:{connectionName} or Kafka:BootstrapServers.");
                }
            });
        builder.Services.AddSingleton(SagaTopics.WithPrefix(builder.Configuration[SagaTopics.PrefixKey]));
        builder.Services.AddSingleton<KafkaClientFactory>();
        builder.Services.AddSingleton<SagaProducer>();
        builder.Services.AddSingleton<BrokerMetadataReader>();
        builder.Services.AddSingleton<KafkaHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<KafkaHealthCheck>(connectionName);
        return builder;
    }
}
