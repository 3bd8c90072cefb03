using OrderSaga.Data;
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
        return builder;
    }

    /// <summary>The consumer, handlers and outbox of one saga role.</summary>
    public static IHostApplicationBuilder AddSagaRole(this IHostApplicationBuilder builder, WorkerRole role) => role switch
    {
        WorkerRole.Inventory => builder.AddInventory(),
        WorkerRole.Payment => builder.AddPayment(),
        WorkerRole.Delivery => builder.AddDelivery(),
        WorkerRole.StatusUpdater => builder.AddStatusUpdater(),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a saga role"),
    };
}
