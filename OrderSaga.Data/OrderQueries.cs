using OrderSaga.Data.Entities;
using OrderSaga.Topology;

namespace OrderSaga.Data;

/// <summary>
/// <see cref="OrderStatus"/>'s sets as filters over orders, written with the statuses as constants so that PostgreSQL
/// sees the same condition as the partial index on orders in flight.
/// </summary>
public static class OrderQueries
{
    public static IQueryable<Order> InFlight(this IQueryable<Order> orders) =>
        orders.Where(order => order.Status != OrderStatus.Shipped && order.Status != OrderStatus.Cancelled);

    public static IQueryable<Order> Unpaid(this IQueryable<Order> orders) =>
        orders.Where(order => order.Status == OrderStatus.Created || order.Status == OrderStatus.InventoryReserved);
}
