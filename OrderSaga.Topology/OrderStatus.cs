namespace OrderSaga.Topology;

/// <summary>
/// An order's lifecycle as stored in <c>orders.status</c> and answered by the API: the statuses, which are final and
/// which are in flight. The status-updater alone moves an order between them; everything else only reads them here.
/// </summary>
public static class OrderStatus
{
    public const string Created = "CREATED";
    public const string InventoryReserved = "INVENTORY_RESERVED";
    public const string Paid = "PAID";
    public const string Shipped = "SHIPPED";
    public const string Cancelled = "CANCELLED";

    /// <summary>Statuses of an order the saga is still working on, in the order it passes them.</summary>
    public static readonly IReadOnlyList<string> InFlight = [Created, InventoryReserved, Paid];

    /// <summary>Statuses of an order not yet charged: the only ones that may be given up.</summary>
    public static readonly IReadOnlyList<string> Unpaid = [Created, InventoryReserved];

    /// <summary>
    /// The SQL condition on <c>status</c> that holds for an order in flight. Queries use this very text, so PostgreSQL
    /// matches them to the partial index built with it.
    /// </summary>
    public const string InFlightSql = "status NOT IN ('SHIPPED', 'CANCELLED')";

    public static bool IsFinal(string status) => status is Shipped or Cancelled;

    /// <summary>How far along the lifecycle a status is; an order only ever moves to a higher rank.</summary>
    public static int Rank(string status) => status switch
    {
        Created => 0,
        InventoryReserved => 1,
        Paid => 2,
        _ => 3,
    };
}
