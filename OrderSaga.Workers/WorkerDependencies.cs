using OrderSaga.Data;
using OrderSaga.Data.Redis;
using OrderSaga.Topology;
using OrderSaga.Workers.Delivery;
using OrderSaga.Workers.Inventory;
using OrderSaga.Workers.Payment;
using OrderSaga.Workers.StatusUpdater;

namespace OrderSaga.Workers;

public static class WorkerDependencies
{
    /// <summary>What every worker role needs: telemetry, health and the database.</summary>
    public static IHostApplicationBuilder AddWorkerDependencies(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddOrderSagaDatabase();
        // A worker waits out a broker or Redis outage and resumes; only the database is a must.
        builder.Services.DegradeWhenFailing(RedisClientRegistration.HealthCheckName, ResourceNames.Kafka);
        return builder;
    }

    /// <summary>The consumer, handlers and outbox of the saga role named <paramref name="role"/>.</summary>
    public static IHostApplicationBuilder AddSagaRole(this IHostApplicationBuilder builder, string? role) => role switch
    {
        SagaRoles.Inventory => builder.AddInventory(),
        SagaRoles.Payment => builder.AddPayment(),
        SagaRoles.Delivery => builder.AddDelivery(),
        SagaRoles.StatusUpdater => builder.AddStatusUpdater(),
        _ => throw new ArgumentException(
            $"{SagaRoles.ConfigurationKey} is '{role}'; expected {SagaRoles.Provisioning} or one of: {string.Join(", ", SagaRoles.Consumers)}.", nameof(role)),
    };
}
