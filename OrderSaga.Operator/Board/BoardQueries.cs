using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderSaga.Data;
using OrderSaga.Data.StuckOrders;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Topology;

namespace OrderSaga.Operator.Board;

/// <summary>What the board reads from PostgreSQL: the counters, the stock and the latest orders with their steps.</summary>
public sealed class BoardQueries(OrderSagaDbContext db, IOptions<StuckOrderOptions> stuckOrders, TimeProvider time)
{
    private const int StockShown = 12;

    /// <summary>Orders per outcome (SHIPPED, OUT_OF_STOCK, PAYMENT_DECLINED, and each status in flight), stuck orders and stock.</summary>
    public async Task<BoardStatistics> StatisticsAsync(long deadLetters, long sampledOut, CancellationToken cancellationToken)
    {
        var outcomes = await db.Orders.AsNoTracking()
            .GroupBy(order => order.CancelReason ?? order.Status)
            .Select(outcome => new { outcome.Key, Count = outcome.LongCount() })
            .ToDictionaryAsync(outcome => outcome.Key, outcome => outcome.Count, cancellationToken);
        var idleSince = time.GetUtcNow() - stuckOrders.Value.After;
        var stuck = await db.Orders.AsNoTracking().InFlight()
            .LongCountAsync(order => order.UpdatedAt < idleSince, cancellationToken);
        // The shop's own products first; tests and benchmarks add many more.
        var stock = await db.Products.AsNoTracking()
            .OrderBy(product => product.Id.StartsWith("prod-") ? 0 : 1).ThenBy(product => product.Id)
            .Take(StockShown)
            .Select(product => new BoardStock(product.Id, product.Name, product.Stock))
            .ToListAsync(cancellationToken);
        return new BoardStatistics(outcomes, OrderStatus.InFlight.Sum(status => outcomes.GetValueOrDefault(status)), stuck, deadLetters, sampledOut, stock);
    }

    public async Task<List<BoardOrder>> RecentOrdersAsync(int count, CancellationToken cancellationToken)
    {
        var orders = await db.Orders.AsNoTracking()
            .OrderByDescending(order => order.CreatedAt)
            .Take(count)
            .Select(order => new { order.Id, order.UserId, order.Status, order.CancelReason, order.CreatedAt })
            .ToListAsync(cancellationToken);
        var ids = orders.Select(order => order.Id).ToList();
        var steps = (await db.OrderEvents.AsNoTracking()
                .Where(step => ids.Contains(step.OrderId))
                .OrderBy(step => step.Id)
                .Select(step => new { step.OrderId, step.Type, step.OccurredAt })
                .ToListAsync(cancellationToken))
            .ToLookup(step => step.OrderId, step => new BoardStep(step.Type, step.OccurredAt));
        return [.. orders.Select(order => new BoardOrder(order.Id, order.UserId, order.Status, order.CancelReason, order.CreatedAt, [.. steps[order.Id]]))];
    }
}
