namespace OrderSaga.Messaging.Events;

/// <summary>A line of an order, priced when the order was placed.</summary>
public sealed record OrderLine(string ProductId, int Qty, decimal UnitPrice);

/// <summary>Stock taken or given back for one product.</summary>
public sealed record StockLine(string ProductId, int Qty);

/// <summary>The payload of an event; its <c>type</c> on the topic is the one it declares (<see cref="WireNameAttribute"/>).</summary>
public interface ISagaEvent;

[WireName(EventTypes.OrderCreated)]
public sealed record OrderCreated(string UserId, IReadOnlyList<OrderLine> Items, decimal Total) : ISagaEvent;

/// <summary>All lines reserved. Carries what payment needs, so it does not read another service's tables.</summary>
[WireName(EventTypes.InventoryReserved)]
public sealed record InventoryReserved(string UserId, IReadOnlyList<StockLine> Items, decimal Total) : ISagaEvent;

[WireName(EventTypes.InventoryFailed)]
public sealed record InventoryFailed(string Reason, string ProductId) : ISagaEvent;

[WireName(EventTypes.PaymentCompleted)]
public sealed record PaymentCompleted(Guid PaymentId, decimal Amount) : ISagaEvent;

[WireName(EventTypes.PaymentFailed)]
public sealed record PaymentFailed(string Reason) : ISagaEvent;

[WireName(EventTypes.InventoryReleased)]
public sealed record InventoryReleased(IReadOnlyList<StockLine> Items) : ISagaEvent;

[WireName(EventTypes.OrderShipped)]
public sealed record OrderShipped(Guid ShipmentId, string TrackingNumber) : ISagaEvent;

/// <summary>
/// The reconciler gave the order up (it was cancelled with <paramref name="Reason"/> before any payment): what it
/// holds is given back, and no later step may act on it.
/// </summary>
[WireName(EventTypes.OrderExpired)]
public sealed record OrderExpired(string Reason) : ISagaEvent;
