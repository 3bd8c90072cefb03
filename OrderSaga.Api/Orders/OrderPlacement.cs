using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderSaga.Data;
using OrderSaga.Data.Entities;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Topology;

namespace OrderSaga.Api.Orders;

/// <summary>The outcome of placing an order.</summary>
public abstract record Placement
{
    public sealed record Created(Guid OrderId, string Status) : Placement;

    /// <summary>The Idempotency-Key was used before: the original order, untouched.</summary>
    public sealed record Replayed(Guid OrderId, string Status) : Placement;

    public sealed record Rejected(Dictionary<string, string[]> Errors) : Placement;

    /// <summary>The Idempotency-Key was used before for a different order: nothing was placed.</summary>
    public sealed record KeyReused(Guid OrderId) : Placement;
}

/// <summary>
/// Places an order: prices its lines from the catalogue, then stores the order, its lines and its OrderCreated
/// event in one batch, one implicit transaction (the outbox relay publishes the event), honouring the
/// Idempotency-Key.
/// </summary>
public sealed class OrderPlacement(SagaUnitOfWork work, OrderSagaDbContext db, ProductPrices catalogue, IdempotencyKeys idempotencyKeys, SagaMetrics metrics, TimeProvider time)
{
    private const string IdempotencyIndex = "ix_orders_user_id_idempotency_key";
    private const string OrderKey = "pk_orders";
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

    private Task<Dictionary<string, decimal>> PriceAsync(IReadOnlyList<CreateOrderLine> lines, CancellationToken cancellationToken) =>
        catalogue.PricesOfAsync([.. lines.Select(line => line.ProductId!)], LoadPricesAsync, cancellationToken);

    private Task<Dictionary<string, decimal>> LoadPricesAsync(IReadOnlyCollection<string> productIds, CancellationToken cancellationToken) =>
        db.Products.AsNoTracking()
            .Where(product => productIds.Contains(product.Id))
            .ToDictionaryAsync(product => product.Id, product => product.Price, cancellationToken);

    private static Dictionary<string, string[]> UnknownProducts(IReadOnlyList<CreateOrderLine> lines, Dictionary<string, decimal> prices) =>
        lines.Select((line, index) => (line, index))
            .Where(pair => !prices.ContainsKey(pair.line.ProductId!))
            .ToDictionary(pair => $"items[{pair.index}].product_id", pair => new[] { $"There is no product {pair.line.ProductId}." });

    /// <summary>The order an earlier request with this key placed, or a new one when there is none.</summary>
    private async Task<Placement> ReplayOrCreateAsync(OrderDraft draft, string idempotencyKey, CancellationToken cancellationToken)
    {
        var earlierClaim = await idempotencyKeys.ClaimAsync(draft.UserId, idempotencyKey, draft.OrderId);
        // The first request may still be committing; a claim whose order never appears is stale.
        if (earlierClaim is { } holder && await WaitForKeyedOrderAsync(draft, idempotencyKey, cancellationToken) is { } earlier)
        {
            if (earlier.Id != holder)
            {
                // Redis named a request's order that lost the race in the database; name the one that won.
                await idempotencyKeys.AssignAsync(draft.UserId, idempotencyKey, earlier.Id);
            }

            return Replay(draft, earlier);
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
            // A request with the same key committed first (Redis was down, or its key had expired). Redis is
            // pointed at that order, so the next replay finds it at once.
            var existing = await FindKeyedOrderAsync(draft.UserId, idempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException("The order holding the Idempotency-Key has gone.", ex);
            await idempotencyKeys.AssignAsync(draft.UserId, idempotencyKey, existing.Id);
            return Replay(draft, existing);
        }
        catch when (earlierClaim is null)
        {
            await idempotencyKeys.ReleaseAsync(draft.UserId, idempotencyKey, draft.OrderId);
            throw;
        }
    }

    /// <summary>The earlier order if this request asks for the same lines; a key reused for other lines is refused.</summary>
    private static Placement Replay(OrderDraft draft, KeyedOrder earlier) =>
        draft.SameLinesAs(earlier.Lines)
            ? new Placement.Replayed(earlier.Id, earlier.Status)
            : new Placement.KeyReused(earlier.Id);

    /// <summary>Stores the order, its lines and its OrderCreated event together, in one round trip.</summary>
    private async Task<Placement> CreateAsync(OrderDraft draft, CancellationToken cancellationToken)
    {
        await work.SaveInOneBatchAsync(
            () =>
            {
                var now = time.GetUtcNow();
                db.Orders.Add(new Order
                {
                    Id = draft.OrderId,
                    UserId = draft.UserId,
                    Status = OrderStatus.Created,
                    Total = draft.Total,
                    IdempotencyKey = draft.IdempotencyKey,
                    CreatedAt = now,
                    UpdatedAt = now,
                    Items = [.. draft.Lines.Select(line => new OrderItem { OrderId = draft.OrderId, ProductId = line.ProductId, Qty = line.Qty, UnitPrice = line.UnitPrice })],
                });
                work.Publish(draft.OrderId, new OrderCreated(draft.UserId, draft.Lines, draft.Total));
            },
            // The id is new to this request, so an order already holding it is this request's own.
            savedBefore: ex => ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: OrderKey },
            cancellationToken);

        metrics.OrderCreated();
        return new Placement.Created(draft.OrderId, OrderStatus.Created);
    }

    /// <summary>Waits, for a little while, for the order of a concurrent request with the same key to commit.</summary>
    private async Task<KeyedOrder?> WaitForKeyedOrderAsync(OrderDraft draft, string idempotencyKey, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + ConcurrentRequestWait;
        while (true)
        {
            if (await FindKeyedOrderAsync(draft.UserId, idempotencyKey, cancellationToken) is { } earlier)
            {
                return earlier;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }
    }

    /// <summary>The stored order of a user's Idempotency-Key: the database, not Redis, is the record of who holds it.</summary>
    private Task<KeyedOrder?> FindKeyedOrderAsync(string userId, string idempotencyKey, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking()
            .Where(order => order.UserId == userId && order.IdempotencyKey == idempotencyKey)
            .Select(order => new KeyedOrder(order.Id, order.Status, order.Items.Select(item => new KeyedOrderLine(item.ProductId, item.Qty)).ToList()))
            .SingleOrDefaultAsync(cancellationToken);
}

public sealed record KeyedOrder(Guid Id, string Status, List<KeyedOrderLine> Lines);

public sealed record KeyedOrderLine(string ProductId, int Qty);

/// <summary>A new order, priced and given its id, before it is stored.</summary>
public sealed record OrderDraft(Guid OrderId, string UserId, IReadOnlyList<OrderLine> Lines, decimal Total, string? IdempotencyKey)
{
    public static OrderDraft Priced(string userId, IReadOnlyList<CreateOrderLine> lines, Dictionary<string, decimal> prices, string? idempotencyKey)
    {
        List<OrderLine> priced = [.. lines.Select(line => new OrderLine(line.ProductId!, line.Qty, prices[line.ProductId!]))];
        return new OrderDraft(Guid.CreateVersion7(), userId, priced, priced.Sum(line => line.UnitPrice * line.Qty), idempotencyKey);
    }

    /// <summary>Whether a stored order asked for exactly these products and quantities (a request's lines are distinct).</summary>
    public bool SameLinesAs(IReadOnlyCollection<KeyedOrderLine> stored) =>
        stored.Count == Lines.Count && Lines.All(line => stored.Contains(new KeyedOrderLine(line.ProductId, line.Qty)));
}
