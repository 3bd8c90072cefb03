using OrderSaga.Data;
using OrderSaga.ServiceDefaults.Kafka;

namespace OrderSaga.Workers;

public static class WorkerDependencies
{
    public const string KafkaConnectionName = "kafka";

    /// <summary>What every worker role needs: telemetry and health, the database and Kafka.</summary>
    public static IHostApplicationBuilder AddWorkerDependencies(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddNpgsqlDbContext<OrderSagaDbContext>(OrderSagaDbContextOptions.ConnectionName,
            configureDbContextOptions: options => options.UseOrderSagaConventions());
        builder.AddKafkaClients(KafkaConnectionName);
        return builder;
    }

    /// <summary>The consumers and services of one saga role.</summary>
    public static IHostApplicationBuilder AddSagaRole(this IHostApplicationBuilder builder, WorkerRole role)
    {
        builder.Services.AddSingleton(new SagaRoleInfo(role));
        return builder;
    }
}

/// <summary>The role this process runs, for logs and health.</summary>
public sealed record SagaRoleInfo(WorkerRole Role);
