namespace OrderSaga.Api.Orders;

/// <summary>The body of <c>POST /orders</c>: <c>{"user_id":"u1","items":[{"product_id":"prod-mouse","qty":2}]}</c>.</summary>
public sealed record CreateOrderRequest(string? UserId, IReadOnlyList<CreateOrderLine>? Items);

public sealed record CreateOrderLine(string? ProductId, int Qty);

public sealed record CreateOrderResponse(Guid OrderId, string Status);
