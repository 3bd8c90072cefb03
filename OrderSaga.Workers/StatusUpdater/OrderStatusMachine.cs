using OrderSaga.Data;
using OrderSaga.Messaging.Events;
using OrderSaga.Topology;

namespace OrderSaga.Workers.StatusUpdater;

public sealed record OrderState(string Status, string? CancelReason)
{
    public bool IsTerminal => OrderStatus.IsFinal(Status);
}

/// <summary>
/// The order's status as a function of the events seen. It only ever moves forward: a late or duplicate event
/// never regresses an order, and SHIPPED and CANCELLED are final.
/// </summary>
public static class OrderStatusMachine
{
    public static OrderState Apply(OrderState current, string eventType)
    {
        if (current.IsTerminal || Target(eventType) is not { } target)
        {
            return current;
        }

        return Rank(target.Status) > Rank(current.Status) ? target : current;
    }

    private static OrderState? Target(string eventType) => eventType switch
    {
        EventTypes.OrderCreated => new(OrderStatus.Created, null),
        EventTypes.InventoryReserved => new(OrderStatus.InventoryReserved, null),
        EventTypes.InventoryFailed => new(OrderStatus.Cancelled, CancelReasons.OutOfStock),
        EventTypes.PaymentCompleted => new(OrderStatus.Paid, null),
        // A declined order is cancelled once its stock is back, i.e. on InventoryReleased.
        EventTypes.InventoryReleased => new(OrderStatus.Cancelled, CancelReasons.PaymentDeclined),
        EventTypes.OrderShipped => new(OrderStatus.Shipped, null),
        EventTypes.OrderExpired => new(OrderStatus.Cancelled, CancelReasons.TimedOut),
        _ => null,
    };

    private static int Rank(string status) => status switch
    {
        OrderStatus.Created => 0,
        OrderStatus.InventoryReserved => 1,
        OrderStatus.Paid => 2,
        _ => 3,
    };
}
