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
        var prices = await PriceAsync(request.Items!, cancellationToken);
        if (UnknownProducts(request.Items!, prices) is { Count: > 0 } unknown)
        {
            return new Placement.Rejected(unknown);
        }

        var draft = OrderDraft.Priced(request.UserId!, request.Items!, prices, idempotencyKey);
        return idempotencyKey is null
            ? await CreateAsync(draft, cancellationToken)
            : await ReplayOrCreateAsync(draft, idempotencyKey, cancellationToken);
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

    /// <summary>The order an earlier request with this key placed, or a new one when there is none.</summary>
    private async Task<Placement> ReplayOrCreateAsync(OrderDraft draft, string idempotencyKey, CancellationToken cancellationToken)
    {
        var earlierClaim = await idempotencyKeys.ClaimAsync(draft.UserId, idempotencyKey, draft.OrderId);
        // The first request may still be committing; a claim whose order never appears is stale.
        if (earlierClaim is { } earlier && await WaitForOrderAsync(earlier, cancellationToken) is { } replay)
        {
            return replay;
        }

        try
        {
            var created = await CreateAsync(draft, cancellationToken);
            if (earlierClaim is not null)
            {
                await idempotencyKeys.AssignAsync(draft.UserId, idempotencyKey, draft.OrderId);
            }

            return created;
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: IdempotencyIndex })
        {
            // A racing request with the same key committed first (Redis was down, or its key had expired).
            return await work.Db.Orders.AsNoTracking()
                .Where(order => order.UserId == draft.UserId && order.IdempotencyKey == idempotencyKey)
                .Select(order => new Placement.Replayed(order.Id, order.Status))
                .SingleAsync(cancellationToken);
        }
        catch when (earlierClaim is null)
        {
            await idempotencyKeys.ReleaseAsync(draft.UserId, idempotencyKey, draft.OrderId);
            throw;
        }
    }

    /// <summary>Stores the order, its lines and its OrderCreated event in one transaction.</summary>
    private async Task<Placement> CreateAsync(OrderDraft draft, CancellationToken cancellationToken)
    {
        await work.ExecuteAsync(_ =>
        {
            var now = time.GetUtcNow();
            work.Db.Orders.Add(new Order
            {
                Id = draft.OrderId,
                UserId = draft.UserId,
                Status = OrderStatuses.Created,
                Total = draft.Total,
                IdempotencyKey = draft.IdempotencyKey,
                CreatedAt = now,
                UpdatedAt = now,
                Items = [.. draft.Lines.Select(line => new OrderItem { OrderId = draft.OrderId, ProductId = line.ProductId, Qty = line.Qty, UnitPrice = line.UnitPrice })],
            });
            work.Publish(draft.OrderId, new OrderCreated(draft.UserId, draft.Lines, draft.Total));
            return Task.CompletedTask;
        }, cancellationToken);

        metrics.OrderCreated();
        return new Placement.Created(draft.OrderId, OrderStatuses.Created);
    }

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

/// <summary>A new order, priced and given its id, before it is stored.</summary>
internal sealed record OrderDraft(Guid OrderId, string UserId, IReadOnlyList<OrderLine> Lines, decimal Total, string? IdempotencyKey)
{
    public static OrderDraft Priced(string userId, IReadOnlyList<CreateOrderLine> lines, Dictionary<string, decimal> prices, string? idempotencyKey)
    {
        List<OrderLine> priced = [.. lines.Select(line => new OrderLine(line.ProductId!, line.Qty, prices[line.ProductId!]))];
        return new OrderDraft(Guid.CreateVersion7(), userId, priced, priced.Sum(line => line.UnitPrice * line.Qty), idempotencyKey);
    }
}
