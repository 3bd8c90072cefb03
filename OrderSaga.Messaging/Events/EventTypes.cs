namespace OrderSaga.Messaging.Events;

/// <summary>
/// The <c>type</c> of every event on <c>order-events</c> as a constant, for switches and SQL: each is the name of its
/// payload record, so renaming a record renames its type.
/// </summary>
public static class EventTypes
{
    public const string OrderCreated = nameof(Events.OrderCreated);
    public const string InventoryReserved = nameof(Events.InventoryReserved);
    public const string InventoryFailed = nameof(Events.InventoryFailed);
    public const string PaymentCompleted = nameof(Events.PaymentCompleted);
    public const string PaymentFailed = nameof(Events.PaymentFailed);
    public const string InventoryReleased = nameof(Events.InventoryReleased);
    public const string OrderShipped = nameof(Events.OrderShipped);
    public const string OrderExpired = nameof(Events.OrderExpired);

    /// <summary>Every event's payload record by its type.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Payloads = typeof(ISagaEvent).Assembly.GetTypes()
        .Where(type => type.IsClass && typeof(ISagaEvent).IsAssignableFrom(type))
        .ToDictionary(type => type.Name);
}
