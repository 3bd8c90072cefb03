using Npgsql;
using OrderSaga.Topology;

namespace OrderSaga.Testing;

/// <summary>What a check of the saga's promises is told: where it looks, and what it may expect to find there.</summary>
/// <param name="InitialStock">Each checked product's stock before any order of it was placed; the orders of these products are checked.</param>
/// <param name="RequireFinal">Also report every order not yet SHIPPED or CANCELLED.</param>
/// <param name="AcceptedOrders">When given, the ids the API answered with: any other order of these products is a violation.</param>
public sealed record SagaExpectations(IReadOnlyDictionary<string, int> InitialStock, bool RequireFinal, IReadOnlyCollection<Guid>? AcceptedOrders = null);

/// <summary>
/// What must hold in the database however often events were redelivered, replayed or lost: exactly the orders that
/// were accepted, stock conserved, the right quantities reserved and the right amount charged, every status
/// explained by its whole audit trail and its effects, and nothing left pending for a finished order. Tests and
/// the benchmark run it over what they created.
/// </summary>
public static class SagaInvariants
{
    public const string NotFinal = "order not final";
    public const string NotAccepted = "order nobody was answered with";
    public const string AcceptedMissing = "accepted order missing";
    public const string AuditTwice = "audit row twice";
    public const string AuditTrail = "status not explained by its audit trail";
    public const string Effects = "status not matched by its effects";
    public const string ReservedQuantity = "reserved quantity is not the ordered quantity";
    public const string ChargedAmount = "charged amount is not the order total";
    public const string LeftPending = "work left pending for a finished order";
    public const string StockNotConserved = "stock not conserved";

    /// <summary>The violations found, each starting with the name of its rule; empty when the saga kept its promises.</summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(NpgsqlConnection connection, SagaExpectations expected, CancellationToken cancellationToken)
    {
        var violations = new List<string>();
        foreach (var check in Checks(expected))
        {
            await using var command = new NpgsqlCommand(check.Sql, connection);
            command.Parameters.AddWithValue("products", expected.InitialStock.Keys.ToArray());
            command.Parameters.AddWithValue("accepted", expected.AcceptedOrders?.ToArray() ?? []);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                violations.Add($"{check.Rule}: {reader.GetValue(0)} ({reader.GetValue(1)})");
            }
        }

        violations.AddRange(await StockViolationsAsync(connection, expected.InitialStock, cancellationToken));
        return violations;
    }

    private static async Task<IEnumerable<string>> StockViolationsAsync(
        NpgsqlConnection connection, IReadOnlyDictionary<string, int> initialStock, CancellationToken cancellationToken)
    {
        // Stock that is not on the shelf is held by exactly the reservations that were never released.
        await using var command = new NpgsqlCommand("""
            SELECT p.id, p.stock, COALESCE(SUM(r.qty) FILTER (WHERE r.released_at IS NULL), 0)
            FROM products p LEFT JOIN stock_reservations r ON r.product_id = p.id
            WHERE p.id = ANY(@products)
            GROUP BY p.id, p.stock
            """, connection);
        command.Parameters.AddWithValue("products", initialStock.Keys.ToArray());
        var violations = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (product, stock, held) = (reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2));
            if (stock + held != initialStock[product])
            {
                violations.Add($"{StockNotConserved}: {product} started at {initialStock[product]}, has {stock} on the shelf and {held} reserved");
            }
        }

        return violations;
    }

    private sealed record Check(string Rule, string Sql);

    // Each query returns (order id, detail) for every order that breaks the rule.
    private const string CheckedOrders = """
        checked AS (
            SELECT o.* FROM orders o
            WHERE EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.product_id = ANY(@products)))
        """;

    private const string Facts = $"""
        {CheckedOrders},
        facts AS (
            SELECT c.id, c.status, c.cancel_reason,
                ARRAY(SELECT e.type FROM order_events e WHERE e.order_id = c.id ORDER BY e.occurred_at, e.id) AS audit,
                (SELECT p.status FROM payments p WHERE p.order_id = c.id) AS payment,
                EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = c.id) AS shipped,
                EXISTS (SELECT 1 FROM stock_reservations r WHERE r.order_id = c.id AND r.released_at IS NULL) AS holds_stock,
                EXISTS (SELECT 1 FROM stock_reservations r WHERE r.order_id = c.id) AS reserved_stock
            FROM checked c)
        """;

    private static IEnumerable<Check> Checks(SagaExpectations expected)
    {
        if (expected.RequireFinal)
        {
            yield return new(NotFinal, $"""
                WITH {CheckedOrders}
                SELECT id, status FROM checked WHERE {OrderStatus.InFlightSql}
                """);
        }

        if (expected.AcceptedOrders is not null)
        {
            // An order twice for one request, or one no request asked for, is as wrong as a lost one.
            yield return new(NotAccepted, $"""
                WITH {CheckedOrders}
                SELECT id, user_id FROM checked WHERE id <> ALL(@accepted)
                """);

            // An answer with an order id is a promise that the order exists.
            yield return new(AcceptedMissing, """
                SELECT accepted.id, 'answered, not stored' FROM unnest(@accepted) AS accepted(id)
                WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = accepted.id)
                """);
        }

        yield return new(AuditTwice, $"""
            WITH {CheckedOrders}
            SELECT c.id, e.type FROM checked c JOIN order_events e ON e.order_id = c.id GROUP BY c.id, e.type HAVING COUNT(*) > 1
            """);

        // Every step that led to the status, in the order the saga took them: by when each occurred, since an event
        // lost on the way and published again is recorded late. A late event may be audited after its order ended
        // (a cancelled order still records what arrived), so the trail must contain the steps in order, not be
        // only them. An order given up was never seen to start by the status-updater if it lost its
        // OrderCreated, so its trail begins with the expiry.
        yield return new(AuditTrail, $"""
            WITH {Facts},
            trails AS (
                SELECT f.*, CASE f.status
                    WHEN 'CREATED' THEN ARRAY['OrderCreated']
                    WHEN 'INVENTORY_RESERVED' THEN ARRAY['OrderCreated', 'InventoryReserved']
                    WHEN 'PAID' THEN ARRAY['OrderCreated', 'InventoryReserved', 'PaymentCompleted']
                    WHEN 'SHIPPED' THEN ARRAY['OrderCreated', 'InventoryReserved', 'PaymentCompleted', 'OrderShipped']
                    WHEN 'CANCELLED' THEN CASE f.cancel_reason
                        WHEN 'OUT_OF_STOCK' THEN ARRAY['OrderCreated', 'InventoryFailed']
                        WHEN 'PAYMENT_DECLINED' THEN ARRAY['OrderCreated', 'InventoryReserved', 'PaymentFailed', 'InventoryReleased']
                        WHEN 'TIMED_OUT' THEN CASE WHEN f.reserved_stock THEN ARRAY['OrderExpired', 'InventoryReleased'] ELSE ARRAY['OrderExpired'] END
                        END
                    END AS trail
                FROM facts f)
            SELECT id, status || COALESCE('/' || cancel_reason, '') || ' audit ' || array_to_string(audit, ',')
            FROM trails t
            WHERE t.trail IS NULL OR EXISTS (
                SELECT 1 FROM unnest(t.trail) WITH ORDINALITY AS step(type, n)
                WHERE array_position(t.audit, step.type) IS NULL
                   OR (step.n > 1 AND array_position(t.audit, step.type) < array_position(t.audit, t.trail[step.n - 1])))
            """);

        // What each status implies was done, and undone. An order in flight may already have effects its status does
        // not show yet (the status-updater is the last to hear of a step), so only what it must have is checked. A
        // missing payment is NULL, which an equality would let pass.
        yield return new(Effects, $"""
            WITH {Facts}
            SELECT id, status || COALESCE('/' || cancel_reason, '') || ' payment ' || COALESCE(payment, '-')
                || ' shipped ' || shipped || ' holds stock ' || holds_stock
            FROM facts
            WHERE NOT CASE status
                WHEN 'CREATED' THEN TRUE
                WHEN 'INVENTORY_RESERVED' THEN holds_stock
                WHEN 'PAID' THEN payment IS NOT DISTINCT FROM 'APPROVED' AND holds_stock
                WHEN 'SHIPPED' THEN payment IS NOT DISTINCT FROM 'APPROVED' AND shipped AND holds_stock
                WHEN 'CANCELLED' THEN NOT holds_stock AND NOT shipped AND CASE cancel_reason
                    WHEN 'OUT_OF_STOCK' THEN payment IS NULL AND NOT reserved_stock
                    WHEN 'PAYMENT_DECLINED' THEN payment IS NOT DISTINCT FROM 'DECLINED'
                    WHEN 'TIMED_OUT' THEN payment IS NULL
                    ELSE FALSE END
                ELSE FALSE END
            """);

        // A reservation is all or nothing: every line exactly as ordered, and nothing that was not ordered.
        yield return new(ReservedQuantity, $"""
            WITH {CheckedOrders},
            ordered AS (
                SELECT i.order_id, i.product_id, SUM(i.qty) AS qty FROM order_items i JOIN checked c ON c.id = i.order_id GROUP BY i.order_id, i.product_id),
            reserved AS (
                SELECT r.order_id, r.product_id, SUM(r.qty) AS qty FROM stock_reservations r JOIN checked c ON c.id = r.order_id GROUP BY r.order_id, r.product_id)
            SELECT COALESCE(o.order_id, r.order_id), COALESCE(o.product_id, r.product_id) || ' ordered ' || COALESCE(o.qty, 0) || ' reserved ' || COALESCE(r.qty, 0)
            FROM ordered o FULL JOIN reserved r ON r.order_id = o.order_id AND r.product_id = o.product_id
            WHERE COALESCE(o.order_id, r.order_id) IN (SELECT order_id FROM reserved) AND o.qty IS DISTINCT FROM r.qty
            """);

        yield return new(ChargedAmount, $"""
            WITH {CheckedOrders}
            SELECT c.id, 'total ' || c.total || ' lines ' || lines.total || ' charged ' || COALESCE(p.amount::text, '-')
            FROM checked c
            CROSS JOIN LATERAL (SELECT SUM(i.qty * i.unit_price) AS total FROM order_items i WHERE i.order_id = c.id) lines
            LEFT JOIN payments p ON p.order_id = c.id
            WHERE c.total <> lines.total OR p.amount <> c.total
            """);

        yield return new(LeftPending, $"""
            WITH {CheckedOrders}
            SELECT c.id, m.event_type || CASE WHEN m.set_aside_at IS NULL THEN ' unsent' ELSE ' set aside' END
            FROM checked c JOIN outbox_messages m ON m.message_key = c.id::text
            WHERE c.status IN ('SHIPPED', 'CANCELLED') AND (m.sent_at IS NULL OR m.set_aside_at IS NOT NULL)
            UNION ALL
            SELECT c.id, d.event_type || ' deferred for ' || d.consumer
            FROM checked c JOIN deferred_events d ON d.message_key = c.id::text
            WHERE c.status IN ('SHIPPED', 'CANCELLED')
            """);
    }
}
