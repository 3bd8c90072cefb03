using OrderSaga.Topology;

namespace OrderSaga.Messaging.Events;

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
        if (current.IsTerminal || After(eventType) is not { } target)
        {
            return current;
        }

        return OrderStatus.Rank(target.Status) > OrderStatus.Rank(current.Status) ? target : current;
    }

    /// <summary>The state <paramref name="eventType"/> moves an order to, wherever it is now; null for an event that moves none.</summary>
    public static OrderState? After(string eventType) => eventType switch
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
}
