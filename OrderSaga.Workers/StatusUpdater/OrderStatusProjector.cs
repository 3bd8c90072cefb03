using Microsoft.EntityFrameworkCore;
using OrderSaga.Data.Caching;
using OrderSaga.Data.Entities;
using OrderSaga.Data.ReadModels;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;

namespace OrderSaga.Workers.StatusUpdater;

/// <summary>
/// The single writer of order status: every event of the saga becomes an audit row in <c>order_events</c> and
/// moves the order's status forward, in one transaction; the Redis status cache is written through after commit.
/// </summary>
public sealed class OrderStatusProjector(SagaUnitOfWork work, OrderStatusCache cache, SagaMetrics metrics, TimeProvider time, ILogger<OrderStatusProjector> logger)
    : IEventHandler<OrderCreated>,
      IEventHandler<InventoryReserved>,
      IEventHandler<InventoryFailed>,
      IEventHandler<PaymentCompleted>,
      IEventHandler<PaymentFailed>,
      IEventHandler<InventoryReleased>,
      IEventHandler<OrderShipped>,
      IPreloadingEventHandler
{
    public async Task PreloadAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken) =>
        await work.Db.Orders.Include(o => o.Items).Where(o => orderIds.Contains(o.Id)).ToListAsync(cancellationToken);

    public Task HandleAsync(SagaEvent<OrderCreated> @event, CancellationToken cancellationToken) => ProjectAsync(@event.Envelope, cancellationToken);

    public Task HandleAsync(SagaEvent<InventoryReserved> @event, CancellationToken cancellationToken) => ProjectAsync(@event.Envelope, cancellationToken);

    public Task HandleAsync(SagaEvent<InventoryFailed> @event, CancellationToken cancellationToken) => ProjectAsync(@event.Envelope, cancellationToken);

    public Task HandleAsync(SagaEvent<PaymentCompleted> @event, CancellationToken cancellationToken) => ProjectAsync(@event.Envelope, cancellationToken);

    public Task HandleAsync(SagaEvent<PaymentFailed> @event, CancellationToken cancellationToken) => ProjectAsync(@event.Envelope, cancellationToken);

    public Task HandleAsync(SagaEvent<InventoryReleased> @event, CancellationToken cancellationToken) => ProjectAsync(@event.Envelope, cancellationToken);

    public Task HandleAsync(SagaEvent<OrderShipped> @event, CancellationToken cancellationToken) => ProjectAsync(@event.Envelope, cancellationToken);

    /// <summary>Records the event in the order's audit trail and moves its status on, in the caller's unit of work.</summary>
    public async Task ProjectAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        work.Db.OrderEvents.Add(new OrderEvent
        {
            EventId = envelope.EventId,
            OrderId = envelope.OrderId,
            Type = envelope.Type,
            Payload = envelope.Payload.GetRawText(),
            OccurredAt = envelope.OccurredAt,
            RecordedAt = now,
        });

        // The batch's orders were preloaded with their items, and Find returns a tracked one without a query
        // (DbSet.Local would scan every tracked entity for changes on each call).
        var order = await work.Db.Orders.FindAsync([envelope.OrderId], cancellationToken);
        if (order is null)
        {
            logger.LogWarning("{EventType} {EventId} names unknown order {OrderId}; audited only", envelope.Type, envelope.EventId, envelope.OrderId);
            return;
        }

        Advance(order, envelope.Type, now);
        // A crash between commit and this write leaves an in-flight entry at most its short time-to-live behind.
        // Several events of one order in one transaction need only the last state written.
        work.AfterCommit(OrderStatusCache.Key(order.Id).ToString(), _ => cache.SetAsync(OrderView.Of(order)));
    }

    private void Advance(Order order, string eventType, DateTimeOffset now)
    {
        var current = new OrderState(order.Status, order.CancelReason);
        var next = OrderStatusMachine.Apply(current, eventType);
        if (next == current)
        {
            return;
        }

        order.Status = next.Status;
        order.CancelReason = next.CancelReason;
        order.UpdatedAt = now;
        logger.LogDebug("Order {OrderId}: {From} -> {To} on {EventType}", order.Id, current.Status, next.Status, eventType);

        if (next.IsTerminal)
        {
            metrics.OrderCompleted((next.CancelReason ?? next.Status).ToLowerInvariant(), now - order.CreatedAt);
        }
    }
}
