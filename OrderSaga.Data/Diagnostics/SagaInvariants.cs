using Npgsql;

namespace OrderSaga.Data.Diagnostics;

/// <summary>
/// What must hold in the database however often events were redelivered, replayed or lost, checked over the
/// orders of a set of products: stock conserved, no effect twice, and every status explained by its audit trail
/// and its effects. Tests and the benchmark both run it over what they created.
/// </summary>
public static class SagaInvariants
{
    /// <summary>The violations found; empty when the saga kept its promises.</summary>
    /// <param name="initialStock">Each checked product's stock before any order of it was placed.</param>
    /// <param name="requireFinal">Also report every order not yet SHIPPED or CANCELLED.</param>
    public static async Task<IReadOnlyList<string>> CheckAsync(
        NpgsqlDataSource database,
        IReadOnlyDictionary<string, int> initialStock,
        bool requireFinal,
        CancellationToken cancellationToken)
    {
        var products = initialStock.Keys.ToArray();
        var violations = new List<string>();
        foreach (var check in Checks(requireFinal))
        {
            await using var command = database.CreateCommand(check.Sql);
            command.Parameters.AddWithValue("products", products);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                violations.Add($"{check.Name}: {reader.GetValue(0)} ({reader.GetValue(1)})");
            }
        }

        violations.AddRange(await StockViolationsAsync(database, initialStock, cancellationToken));
        return violations;
    }

    private static async Task<IEnumerable<string>> StockViolationsAsync(
        NpgsqlDataSource database, IReadOnlyDictionary<string, int> initialStock, CancellationToken cancellationToken)
    {
        // Stock that is not on the shelf is held by exactly the reservations that were never released.
        await using var command = database.CreateCommand("""
            SELECT p.id, p.stock, COALESCE(SUM(r.qty) FILTER (WHERE r.released_at IS NULL), 0)
            FROM products p LEFT JOIN stock_reservations r ON r.product_id = p.id
            WHERE p.id = ANY(@products)
            GROUP BY p.id, p.stock
            """);
        command.Parameters.AddWithValue("products", initialStock.Keys.ToArray());
        var violations = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (product, stock, held) = (reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2));
            if (stock + held != initialStock[product])
            {
                violations.Add($"stock not conserved: {product} started at {initialStock[product]}, has {stock} on the shelf and {held} reserved");
            }
        }

        return violations;
    }

    private sealed record Check(string Name, string Sql);

    // Each query returns (order id, detail) for every order that breaks the rule.
    private const string CheckedOrders = """
        checked AS (
            SELECT o.* FROM orders o
            WHERE EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.product_id = ANY(@products)))
        """;

    private static IEnumerable<Check> Checks(bool requireFinal)
    {
        if (requireFinal)
        {
            yield return new("order not final", $"""
                WITH {CheckedOrders}
                SELECT id, status FROM checked WHERE status NOT IN ('SHIPPED', 'CANCELLED')
                """);
        }

        yield return new("more than one payment", $"""
            WITH {CheckedOrders}
            SELECT c.id, COUNT(*) FROM checked c JOIN payments p ON p.order_id = c.id GROUP BY c.id HAVING COUNT(*) > 1
            """);
        yield return new("more than one shipment", $"""
            WITH {CheckedOrders}
            SELECT c.id, COUNT(*) FROM checked c JOIN shipments s ON s.order_id = c.id GROUP BY c.id HAVING COUNT(*) > 1
            """);
        yield return new("audit row twice", $"""
            WITH {CheckedOrders}
            SELECT c.id, e.type FROM checked c JOIN order_events e ON e.order_id = c.id GROUP BY c.id, e.type HAVING COUNT(*) > 1
            """);
        // The audit event that explains each status, and the effects that status implies. An order in flight may
        // already have effects its status does not show yet (the status-updater is the last to hear of a step).
        yield return new("status not explained by its audit trail and effects", $"""
            WITH {CheckedOrders},
            facts AS (
                SELECT c.id, c.status, c.cancel_reason,
                    ARRAY(SELECT e.type FROM order_events e WHERE e.order_id = c.id) AS audit,
                    (SELECT p.status FROM payments p WHERE p.order_id = c.id LIMIT 1) AS payment,
                    EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = c.id) AS shipped,
                    EXISTS (SELECT 1 FROM stock_reservations r WHERE r.order_id = c.id AND r.released_at IS NULL) AS holds_stock,
                    EXISTS (SELECT 1 FROM stock_reservations r WHERE r.order_id = c.id) AS reserved_stock
                FROM checked c)
            SELECT id, status || COALESCE('/' || cancel_reason, '') || ' audit ' || array_to_string(audit, ',')
                || ' payment ' || COALESCE(payment, '-') || ' shipped ' || shipped || ' holds stock ' || holds_stock
            FROM facts
            WHERE NOT CASE status
                WHEN 'CREATED' THEN 'OrderCreated' = ANY(audit)
                WHEN 'INVENTORY_RESERVED' THEN 'InventoryReserved' = ANY(audit)
                WHEN 'PAID' THEN 'PaymentCompleted' = ANY(audit) AND payment = 'APPROVED' AND holds_stock
                WHEN 'SHIPPED' THEN 'OrderShipped' = ANY(audit) AND payment = 'APPROVED' AND shipped AND holds_stock
                WHEN 'CANCELLED' THEN NOT holds_stock AND NOT shipped AND CASE cancel_reason
                    WHEN 'OUT_OF_STOCK' THEN 'InventoryFailed' = ANY(audit) AND payment IS NULL AND NOT reserved_stock
                    WHEN 'PAYMENT_DECLINED' THEN 'InventoryReleased' = ANY(audit) AND payment = 'DECLINED'
                    WHEN 'TIMED_OUT' THEN 'OrderExpired' = ANY(audit) AND payment IS NULL
                    ELSE FALSE END
                ELSE FALSE END
            """);
    }
}
