using OrderSaga.Messaging.Kafka;
using OrderSaga.Topology;

namespace OrderSaga.Workers.Provisioning;

public static class ProvisioningRole
{
    public static IHostApplicationBuilder AddProvisioning(this IHostApplicationBuilder builder)
    {
        builder.AddKafkaClients(ResourceNames.Kafka);
        builder.Services.AddOptions<TopicOptions>().BindConfiguration(TopicOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TopicProvisioner>();
        builder.Services.AddSingleton<RuntimeRoleGrants>();
        builder.Services.AddGatedHostedService<ProvisioningJob>();
        return builder;
    }
}
