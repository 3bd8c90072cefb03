namespace OrderSaga.Messaging.Events;

/// <summary>The <c>type</c> of every event on <c>order-events</c>.</summary>
public static class EventTypes
{
    public const string OrderCreated = nameof(OrderCreated);
    public const string InventoryReserved = nameof(InventoryReserved);
    public const string InventoryFailed = nameof(InventoryFailed);
    public const string PaymentCompleted = nameof(PaymentCompleted);
    public const string PaymentFailed = nameof(PaymentFailed);
    public const string InventoryReleased = nameof(InventoryReleased);
    public const string OrderShipped = nameof(OrderShipped);
    public const string OrderExpired = nameof(OrderExpired);
}
