using Microsoft.Extensions.DependencyInjection;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Topology;

namespace OrderSaga.Data.Provisioning;

public static class ProvisionedChecks
{
    public const string SchemaCheck = "schema";
    public const string TopicsCheck = "topics";

    /// <summary>
    /// Health checks that pass once the provisioning job's work is in place: the schema at this build's latest
    /// migration and the saga's topics. The start-up gate waits for them however long it takes and <c>/health</c>
    /// (readiness) includes them, so outside the AppHost, where nothing orders the job before the services, a
    /// service waits for the job itself. Not for the job: it would wait for its own work.
    /// </summary>
    public static IServiceCollection AddProvisionedChecks(this IServiceCollection services)
    {
        services.AddSingleton<SchemaHealthCheck>();
        services.AddSingleton<SagaTopicsHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<SchemaHealthCheck>(SchemaCheck, tags: [HealthTags.Provisioned])
            .AddCheck<SagaTopicsHealthCheck>(TopicsCheck, tags: [HealthTags.Provisioned]);
        return services;
    }
}
