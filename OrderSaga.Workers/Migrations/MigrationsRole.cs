using OrderSaga.Messaging;
using OrderSaga.ServiceDefaults.Kafka;

namespace OrderSaga.Workers.Migrations;

public static class MigrationsRole
{
    public static IHostApplicationBuilder AddMigrations(this IHostApplicationBuilder builder)
    {
        builder.AddKafkaClients(SagaMessagingExtensions.KafkaConnectionName);
        builder.Services.AddOptions<TopicOptions>().BindConfiguration(TopicOptions.Section).ValidateDataAnnotations();
        builder.Services.AddSingleton<TopicProvisioner>();
        builder.Services.AddHostedService<DatabaseMigrator>();
        return builder;
    }
}
