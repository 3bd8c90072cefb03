namespace OrderSaga.Messaging.Events;

/// <summary>
/// The <c>type</c> of every event on <c>order-events</c>: the contract's names, declared here once and given to their
/// payload records with <see cref="WireNameAttribute"/>, so renaming a record never renames an event.
/// </summary>
public static class EventTypes
{
    public const string OrderCreated = "OrderCreated";
    public const string InventoryReserved = "InventoryReserved";
    public const string InventoryFailed = "InventoryFailed";
    public const string PaymentCompleted = "PaymentCompleted";
    public const string PaymentFailed = "PaymentFailed";
    public const string InventoryReleased = "InventoryReleased";
    public const string OrderShipped = "OrderShipped";
    public const string OrderExpired = "OrderExpired";

    /// <summary>Every event's payload record by its type.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Payloads = typeof(ISagaEvent).Assembly.GetTypes()
        .Where(type => type.IsClass && typeof(ISagaEvent).IsAssignableFrom(type))
        .ToDictionary(WireNameAttribute.Of);
}
