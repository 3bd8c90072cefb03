using Npgsql;
using OrderSaga.Testing;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>
/// The invariant checker that tests and the benchmark trust: quiet on a correct saga, and for each kind of damage
/// loud with exactly the rule it breaks. Damage is done inside a transaction that is rolled back, so the orders
/// settled once serve every case.
/// </summary>
[Collection(SagaAppCollection.Name)]
public sealed class SagaInvariantsTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private const int InitialStock = 3;
    private static Settled? _settled;

    [Fact]
    public async Task Settled_orders_of_every_outcome_keep_the_invariants()
    {
        var settled = await SettledAsync();

        Assert.Empty(await Database.InvariantViolationsAsync(settled.Stock, settled.Accepted));
    }

    [Fact]
    public async Task Stock_that_vanished_is_found() =>
        await AssertFoundAsync(SagaInvariants.StockNotConserved, s => s.Product, "UPDATE products SET stock = stock - 1 WHERE id = @product");

    [Fact]
    public async Task An_order_still_in_flight_is_found() =>
        await AssertFoundAsync(SagaInvariants.NotFinal, s => s.Shipped.ToString(), "UPDATE orders SET status = 'PAID' WHERE id = @shipped");

    [Fact]
    public async Task An_order_nobody_was_answered_with_is_found()
    {
        var settled = await SettledAsync();

        var violations = await CheckBrokenAsync("SELECT 1", settled with { Accepted = [settled.Shipped, settled.Declined] });

        AssertOnly(SagaInvariants.NotAccepted, settled.OutOfStock.ToString(), violations);
    }

    [Fact]
    public async Task An_accepted_order_that_is_missing_is_found()
    {
        var settled = await SettledAsync();
        var lost = Guid.CreateVersion7();

        var violations = await CheckBrokenAsync("SELECT 1", settled with { Accepted = [.. settled.Accepted, lost] });

        AssertOnly(SagaInvariants.AcceptedMissing, lost.ToString(), violations);
    }

    [Fact]
    public async Task An_order_out_of_stock_that_was_charged_is_found() =>
        await AssertFoundAsync(SagaInvariants.Effects, s => s.OutOfStock.ToString(), """
            INSERT INTO payments (id, order_id, amount, status, created_at) SELECT gen_random_uuid(), id, total, 'APPROVED', now() FROM orders WHERE id = @outOfStock
            """);

    [Fact]
    public async Task An_order_given_up_that_was_charged_is_found() =>
        await AssertFoundAsync(SagaInvariants.Effects, s => s.Declined.ToString(), """
            UPDATE orders SET cancel_reason = 'TIMED_OUT' WHERE id = @declined;
            UPDATE order_events SET type = 'OrderExpired' WHERE order_id = @declined AND type = 'OrderCreated'
            """);

    [Fact]
    public async Task A_paid_order_without_a_payment_is_found() =>
        await AssertFoundAsync(SagaInvariants.Effects, s => s.Shipped.ToString(), """
            DELETE FROM payments WHERE order_id = @shipped;
            UPDATE orders SET status = 'PAID' WHERE id = @shipped
            """, requireFinal: false);

    [Fact]
    public async Task A_reserved_order_holding_no_stock_is_found() =>
        await AssertFoundAsync(SagaInvariants.Effects, s => s.Shipped.ToString(), """
            UPDATE stock_reservations SET released_at = now() WHERE order_id = @shipped;
            UPDATE products SET stock = stock + 1 WHERE id = @product;
            UPDATE orders SET status = 'INVENTORY_RESERVED' WHERE id = @shipped
            """, requireFinal: false);

    [Fact]
    public async Task An_order_cancelled_for_no_known_reason_is_found() =>
        await AssertFoundAsync(SagaInvariants.AuditTrail, s => s.OutOfStock.ToString(),
            "UPDATE orders SET cancel_reason = 'FORGOTTEN' WHERE id = @outOfStock", rule2: SagaInvariants.Effects);

    [Fact]
    public async Task An_audit_row_recorded_twice_is_found() =>
        await AssertFoundAsync(SagaInvariants.AuditTwice, s => s.Shipped.ToString(), """
            INSERT INTO order_events (event_id, order_id, type, payload, occurred_at, recorded_at)
            SELECT gen_random_uuid(), order_id, type, payload, occurred_at, recorded_at FROM order_events
            WHERE order_id = @shipped AND type = 'PaymentCompleted'
            """);

    [Fact]
    public async Task A_shipped_order_missing_a_step_of_its_audit_trail_is_found() =>
        await AssertFoundAsync(SagaInvariants.AuditTrail, s => s.Shipped.ToString(), "DELETE FROM order_events WHERE order_id = @shipped AND type = 'InventoryReserved'");

    [Fact]
    public async Task An_audit_trail_out_of_order_is_found() =>
        await AssertFoundAsync(SagaInvariants.AuditTrail, s => s.Shipped.ToString(), """
            UPDATE order_events SET type = CASE type WHEN 'InventoryReserved' THEN 'PaymentCompleted' ELSE 'InventoryReserved' END
            WHERE order_id = @shipped AND type IN ('InventoryReserved', 'PaymentCompleted')
            """);

    [Fact]
    public async Task A_shipped_order_whose_stock_was_given_back_is_found() =>
        await AssertFoundAsync(SagaInvariants.Effects, s => s.Shipped.ToString(), """
            UPDATE stock_reservations SET released_at = now() WHERE order_id = @shipped;
            UPDATE products SET stock = stock + 1 WHERE id = @product
            """);

    [Fact]
    public async Task A_declined_order_that_kept_its_stock_is_found() =>
        await AssertFoundAsync(SagaInvariants.Effects, s => s.Declined.ToString(), """
            UPDATE stock_reservations SET released_at = NULL WHERE order_id = @declined;
            UPDATE products SET stock = stock - 1 WHERE id = @product
            """);

    [Fact]
    public async Task A_reservation_of_another_quantity_than_ordered_is_found() =>
        await AssertFoundAsync(SagaInvariants.ReservedQuantity, s => s.Shipped.ToString(), """
            UPDATE stock_reservations SET qty = qty + 1 WHERE order_id = @shipped;
            UPDATE products SET stock = stock - 1 WHERE id = @product
            """);

    [Fact]
    public async Task A_charge_of_another_amount_than_the_total_is_found() =>
        await AssertFoundAsync(SagaInvariants.ChargedAmount, s => s.Shipped.ToString(), "UPDATE payments SET amount = amount + 1 WHERE order_id = @shipped");

    [Theory]
    [InlineData("INSERT INTO outbox_messages (event_id, topic, message_key, event_type, envelope, created_at) VALUES (gen_random_uuid(), 'order-events', @shipped::text, 'OrderShipped', '{}', now())")]
    [InlineData("INSERT INTO outbox_messages (event_id, topic, message_key, event_type, envelope, created_at, set_aside_at) VALUES (gen_random_uuid(), 'order-events', @shipped::text, 'OrderShipped', '{}', now(), now())")]
    [InlineData("INSERT INTO deferred_events (consumer, event_id, message_key, event_type, envelope, round, due_at, last_error) VALUES ('delivery', gen_random_uuid(), @shipped::text, 'PaymentCompleted', '{}', 1, now() + interval '1 hour', 'failed')")]
    public async Task Work_left_pending_for_a_finished_order_is_found(string leftBehind) =>
        await AssertFoundAsync(SagaInvariants.LeftPending, s => s.Shipped.ToString(), leftBehind);

    private async Task AssertFoundAsync(string rule, Func<Settled, string> culprit, string damage, bool requireFinal = true, string? rule2 = null)
    {
        var settled = await SettledAsync();

        var violations = await CheckBrokenAsync(damage, settled, requireFinal);
        if (rule2 is null)
        {
            AssertOnly(rule, culprit(settled), violations);
            return;
        }

        Assert.Equal(new[] { rule, rule2 }.Order(), violations.Select(violation => violation[..violation.IndexOf(':')]).Order());
        Assert.All(violations, violation => Assert.Contains(culprit(settled), violation));
    }

    private static void AssertOnly(string rule, string culprit, IReadOnlyList<string> violations)
    {
        var violation = Assert.Single(violations);
        Assert.StartsWith($"{rule}: ", violation);
        Assert.Contains(culprit, violation);
    }

    /// <summary>Checks the settled orders after <paramref name="damage"/>, in a transaction that is then rolled back.</summary>
    private async Task<IReadOnlyList<string>> CheckBrokenAsync(string damage, Settled settled, bool requireFinal = true)
    {
        await using var connection = await Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var breaking = new NpgsqlCommand(damage, connection, transaction))
        {
            breaking.Parameters.AddWithValue("product", settled.Product);
            breaking.Parameters.AddWithValue("shipped", settled.Shipped);
            breaking.Parameters.AddWithValue("declined", settled.Declined);
            breaking.Parameters.AddWithValue("outOfStock", settled.OutOfStock);
            await breaking.ExecuteNonQueryAsync();
        }

        var violations = await SagaInvariants.CheckAsync(connection, new SagaExpectations(settled.Stock, requireFinal, settled.Accepted), CancellationToken.None);
        await transaction.RollbackAsync();
        return violations;
    }

    /// <summary>On a product with stock 3: one order shipped, one declined, one out of stock, all settled and drained.</summary>
    private async Task<Settled> SettledAsync()
    {
        if (_settled is { } settled)
        {
            return settled;
        }

        var product = await Database.CreateProductAsync(stock: InitialStock);
        var shipped = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [(product, 1)]);
        var declined = await Orders.PlaceAsync(SagaAppFixture.DeclinedUser, [(product, 1)]);
        Assert.Equal("SHIPPED", (await Orders.WaitUntilSettledAsync(shipped.OrderId)).Status);
        Assert.Equal("CANCELLED", (await Orders.WaitUntilSettledAsync(declined.OrderId)).Status);
        var outOfStock = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [(product, 3)]);
        Assert.Equal("OUT_OF_STOCK", (await Orders.WaitUntilSettledAsync(outOfStock.OrderId)).CancelReason);
        settled = new Settled(product, shipped.OrderId, declined.OrderId, outOfStock.OrderId);
        // Wait until the last steps' queued work has drained, so every case starts from a clean state.
        Assert.Empty(await Database.InvariantViolationsAsync(settled.Stock, settled.Accepted));
        return (_settled = settled).Value;
    }

    private readonly record struct Settled(string Product, Guid Shipped, Guid Declined, Guid OutOfStock)
    {
        public IReadOnlyCollection<Guid> Accepted { get; init; } = [Shipped, Declined, OutOfStock];

        public Dictionary<string, int> Stock => new() { [Product] = InitialStock };
    }
}
