using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderSaga.Data;
using OrderSaga.Data.Entities;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;

namespace OrderSaga.Api.Orders;

/// <summary>The outcome of placing an order.</summary>
public abstract record Placement
{
    public sealed record Created(Guid OrderId, string Status) : Placement;

    /// <summary>The Idempotency-Key was used before: the original order, untouched.</summary>
    public sealed record Replayed(Guid OrderId, string Status) : Placement;

    public sealed record Rejected(Dictionary<string, string[]> Errors) : Placement;
}

/// <summary>
/// Places an order: prices its lines from the catalogue, then stores the order, its lines and its OrderCreated
/// event in one transaction (the outbox relay publishes the event), honouring the Idempotency-Key.
/// </summary>
public sealed class OrderPlacement(SagaUnitOfWork work, IdempotencyKeys idempotencyKeys, SagaMetrics metrics, TimeProvider time)
{
    private const string IdempotencyIndex = "ix_orders_user_id_idempotency_key";
    private static readonly TimeSpan ConcurrentRequestWait = TimeSpan.FromSeconds(3);

    public async Task<Placement> PlaceAsync(CreateOrderRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var userId = request.UserId!;
        var lines = request.Items!;
        var prices = await PriceAsync(lines, cancellationToken);
        if (UnknownProducts(lines, prices) is { Count: > 0 } unknown)
        {
            return new Placement.Rejected(unknown);
        }

        var orderId = Guid.CreateVersion7();
        Guid? earlierClaim = null;
        if (idempotencyKey is not null)
        {
            earlierClaim = await idempotencyKeys.ClaimAsync(userId, idempotencyKey, orderId);
            // The first request may still be committing; a claim whose order never appears is stale.
            if (earlierClaim is { } earlier && await WaitForOrderAsync(earlier, cancellationToken) is { } replay)
            {
                return replay;
            }
        }

        try
        {
            var status = await CreateAsync(orderId, userId, lines, prices, idempotencyKey, cancellationToken);
            if (earlierClaim is not null)
            {
                await idempotencyKeys.AssignAsync(userId, idempotencyKey!, orderId);
            }

            metrics.OrderCreated();
            return new Placement.Created(orderId, status);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: IdempotencyIndex })
        {
            // A racing request with the same key committed first: answer with its order.
            return await work.Db.Orders.AsNoTracking()
                .Where(order => order.UserId == userId && order.IdempotencyKey == idempotencyKey)
                .Select(order => new Placement.Replayed(order.Id, order.Status))
                .SingleAsync(cancellationToken);
        }
        catch when (idempotencyKey is not null && earlierClaim is null)
        {
            await idempotencyKeys.ReleaseAsync(userId, idempotencyKey, orderId);
            throw;
        }
    }

    private Task<Dictionary<string, decimal>> PriceAsync(IReadOnlyList<CreateOrderLine> lines, CancellationToken cancellationToken)
    {
        var productIds = lines.Select(line => line.ProductId!).ToList();
        return work.Db.Products.AsNoTracking()
            .Where(product => productIds.Contains(product.Id))
            .ToDictionaryAsync(product => product.Id, product => product.Price, cancellationToken);
    }

    private static Dictionary<string, string[]> UnknownProducts(IReadOnlyList<CreateOrderLine> lines, Dictionary<string, decimal> prices) =>
        lines.Select((line, index) => (line, index))
            .Where(pair => !prices.ContainsKey(pair.line.ProductId!))
            .ToDictionary(pair => $"items[{pair.index}].product_id", pair => new[] { $"There is no product {pair.line.ProductId}." });

    private Task<string> CreateAsync(Guid orderId, string userId, IReadOnlyList<CreateOrderLine> lines, Dictionary<string, decimal> prices, string? idempotencyKey, CancellationToken cancellationToken) =>
        work.ExecuteAsync((_, _) =>
        {
            var now = time.GetUtcNow();
            var orderLines = lines.Select(line => new OrderLine(line.ProductId!, line.Qty, prices[line.ProductId!])).ToList();
            var order = new Order
            {
                Id = orderId,
                UserId = userId,
                Status = OrderStatuses.Created,
                Total = orderLines.Sum(line => line.UnitPrice * line.Qty),
                IdempotencyKey = idempotencyKey,
                CreatedAt = now,
                UpdatedAt = now,
                Items = [.. orderLines.Select(line => new OrderItem { OrderId = orderId, ProductId = line.ProductId, Qty = line.Qty, UnitPrice = line.UnitPrice })],
            };
            work.Db.Orders.Add(order);
            work.Publish(orderId, new OrderCreated(userId, orderLines, order.Total));
            return Task.FromResult(order.Status);
        }, cancellationToken);

    private async Task<Placement.Replayed?> WaitForOrderAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + ConcurrentRequestWait;
        while (true)
        {
            var status = await work.Db.Orders.AsNoTracking()
                .Where(order => order.Id == orderId)
                .Select(order => order.Status)
                .SingleOrDefaultAsync(cancellationToken);
            if (status is not null)
            {
                return new Placement.Replayed(orderId, status);
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }
    }
}
