using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderSaga.Data;
using OrderSaga.Data.StuckOrders;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Hosting;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Topology;

namespace OrderSaga.Workers.StatusUpdater;

/// <summary>
/// Brings home orders whose next step was lost after its event left the outbox: an order in flight that has not
/// moved for <see cref="StuckOrderOptions.After"/> is driven on by <see cref="StuckOrderRedrive"/>. An order that is still not paid
/// <see cref="ReconcilerOptions.GiveUpAfter"/> after it was placed is given up: cancelled as TIMED_OUT, and
/// OrderExpired tells inventory to give its stock back.
/// </summary>
public sealed class StuckOrderReconciler(
    IServiceScopeFactory scopes,
    SagaMetrics metrics,
    IOptions<ReconcilerOptions> options,
    IOptions<StuckOrderOptions> stuck,
    TimeProvider time,
    ILogger<StuckOrderReconciler> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await GiveUpAsync(options.Value, cancellationToken);
        await ReconcileAsync(options.Value, cancellationToken);
    }

    private async Task GiveUpAsync(ReconcilerOptions settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> expired;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrderSagaDbContext>();
            var placedBefore = Time.GetUtcNow() - settings.GiveUpAfter;
            expired = await db.Orders
                .Unpaid()
                .Where(order => order.CreatedAt < placedBefore)
                .OrderBy(order => order.CreatedAt)
                .Select(order => order.Id)
                .Take(settings.BatchSize)
                .ToListAsync(cancellationToken);
        }

        foreach (var orderId in expired)
        {
            await GiveUpAsync(orderId, settings, cancellationToken);
        }
    }

    /// <summary>One order in its own transaction, under the lock every step that might act on it holds meanwhile.</summary>
    private async Task GiveUpAsync(Guid orderId, ReconcilerOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var work = scope.ServiceProvider.GetRequiredService<SagaUnitOfWork>();
        var db = scope.ServiceProvider.GetRequiredService<OrderSagaDbContext>();
        var projector = scope.ServiceProvider.GetRequiredService<OrderStatusProjector>();
        var givenUp = await work.ExecuteAsync(async token =>
        {
            await db.LockForGiveUpAsync(orderId, token);
            var order = await db.Orders.Include(o => o.Items).SingleAsync(o => o.Id == orderId, token);
            // Read after the lock: a payment committed while we waited is seen here, and the order is left to finish.
            if (!OrderStatus.Unpaid.Contains(order.Status)
                || await db.Payments.AnyAsync(payment => payment.OrderId == orderId, token))
            {
                return null;
            }

            var expiry = EventEnvelope.Create(orderId, new OrderExpired(CancelReasons.TimedOut), Time);
            var status = order.Status;
            await projector.HandleAsync(expiry, token);
            work.Publish(expiry);
            return status;
        }, cancellationToken);

        if (givenUp is not null)
        {
            metrics.OrderGivenUp(givenUp);
            logger.LogWarning("Order {OrderId} was still {Status} {GiveUpAfter} after it was placed; cancelled it as {CancelReason} and asked for its stock back",
                orderId, givenUp, settings.GiveUpAfter, CancelReasons.TimedOut);
        }
    }

    private async Task ReconcileAsync(ReconcilerOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StuckOrderRedrive>().RedriveAsync(stuck.Value.After, settings.BatchSize, cancellationToken);
    }
}
