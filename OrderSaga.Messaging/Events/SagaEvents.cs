namespace OrderSaga.Messaging.Events;

/// <summary>A line of an order, priced when the order was placed.</summary>
public sealed record OrderLine(string ProductId, int Qty, decimal UnitPrice);

/// <summary>Stock taken or given back for one product.</summary>
public sealed record StockLine(string ProductId, int Qty);

/// <summary>The payload of an event of one <see cref="EventTypes"/> type.</summary>
public interface ISagaEvent
{
    static abstract string Type { get; }
}

public sealed record OrderCreated(string UserId, IReadOnlyList<OrderLine> Items, decimal Total) : ISagaEvent
{
    public static string Type => EventTypes.OrderCreated;
}

/// <summary>All lines reserved. Carries what payment needs, so it does not read another service's tables.</summary>
public sealed record InventoryReserved(string UserId, IReadOnlyList<StockLine> Items, decimal Total) : ISagaEvent
{
    public static string Type => EventTypes.InventoryReserved;
}

public sealed record InventoryFailed(string Reason, string ProductId) : ISagaEvent
{
    public static string Type => EventTypes.InventoryFailed;
}

public sealed record PaymentCompleted(Guid PaymentId, decimal Amount) : ISagaEvent
{
    public static string Type => EventTypes.PaymentCompleted;
}

public sealed record PaymentFailed(string Reason) : ISagaEvent
{
    public static string Type => EventTypes.PaymentFailed;
}

public sealed record InventoryReleased(IReadOnlyList<StockLine> Items) : ISagaEvent
{
    public static string Type => EventTypes.InventoryReleased;
}

public sealed record OrderShipped(Guid ShipmentId, string TrackingNumber) : ISagaEvent
{
    public static string Type => EventTypes.OrderShipped;
}

/// <summary>
/// The reconciler gave the order up (it was cancelled with <paramref name="Reason"/> before any payment): what it
/// holds is given back, and no later step may act on it.
/// </summary>
public sealed record OrderExpired(string Reason) : ISagaEvent
{
    public static string Type => EventTypes.OrderExpired;
}
