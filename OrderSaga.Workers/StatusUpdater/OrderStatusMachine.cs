using OrderSaga.Data;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Workers.StatusUpdater;

public sealed record OrderState(string Status, string? CancelReason)
{
    public bool IsTerminal => Status is OrderStatuses.Shipped or OrderStatuses.Cancelled;
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
        EventTypes.OrderCreated => new(OrderStatuses.Created, null),
        EventTypes.InventoryReserved => new(OrderStatuses.InventoryReserved, null),
        EventTypes.InventoryFailed => new(OrderStatuses.Cancelled, CancelReasons.OutOfStock),
        EventTypes.PaymentCompleted => new(OrderStatuses.Paid, null),
        // A declined order is cancelled once its stock is back, i.e. on InventoryReleased.
        EventTypes.InventoryReleased => new(OrderStatuses.Cancelled, CancelReasons.PaymentDeclined),
        EventTypes.OrderShipped => new(OrderStatuses.Shipped, null),
        EventTypes.OrderExpired => new(OrderStatuses.Cancelled, CancelReasons.TimedOut),
        _ => null,
    };

    private static int Rank(string status) => status switch
    {
        OrderStatuses.Created => 0,
        OrderStatuses.InventoryReserved => 1,
        OrderStatuses.Paid => 2,
        _ => 3,
    };
}
