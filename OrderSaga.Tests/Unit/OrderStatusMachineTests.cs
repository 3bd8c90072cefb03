using OrderSaga.Messaging.Events;

namespace OrderSaga.Tests.Unit;

public sealed class OrderStatusMachineTests
{
    private static readonly OrderState Created = new("CREATED", null);

    [Fact]
    public void The_happy_path_moves_forward_step_by_step()
    {
        var state = Created;
        string[] events = ["OrderCreated", "InventoryReserved", "PaymentCompleted", "OrderShipped"];
        string[] statuses = ["CREATED", "INVENTORY_RESERVED", "PAID", "SHIPPED"];

        var seen = events.Select(type => (state = OrderStatusMachine.Apply(state, type)).Status);

        Assert.Equal(statuses, seen);
    }

    [Fact]
    public void Out_of_stock_cancels_with_its_reason()
    {
        Assert.Equal(new OrderState("CANCELLED", "OUT_OF_STOCK"), OrderStatusMachine.Apply(Created, "InventoryFailed"));
    }

    [Theory]
    [InlineData("CREATED")]
    [InlineData("INVENTORY_RESERVED")]
    public void An_order_the_reconciler_gives_up_is_cancelled_as_timed_out(string status) =>
        Assert.Equal(new OrderState("CANCELLED", "TIMED_OUT"), OrderStatusMachine.Apply(new OrderState(status, null), "OrderExpired"));

    [Fact]
    public void A_declined_payment_cancels_only_once_the_stock_is_back()
    {
        var reserved = new OrderState("INVENTORY_RESERVED", null);

        var afterDecline = OrderStatusMachine.Apply(reserved, "PaymentFailed");
        var afterRelease = OrderStatusMachine.Apply(afterDecline, "InventoryReleased");

        Assert.Equal(reserved, afterDecline);
        Assert.Equal(new OrderState("CANCELLED", "PAYMENT_DECLINED"), afterRelease);
    }

    [Theory]
    [InlineData("OrderCreated")]
    [InlineData("InventoryReserved")]
    [InlineData("PaymentCompleted")]
    public void Late_or_duplicate_events_never_move_an_order_back(string lateEvent)
    {
        var paid = new OrderState("PAID", null);

        Assert.Equal(paid, OrderStatusMachine.Apply(paid, lateEvent));
    }

    [Theory]
    [InlineData("SHIPPED", null, "InventoryReleased")]
    [InlineData("CANCELLED", "OUT_OF_STOCK", "OrderShipped")]
    [InlineData("CANCELLED", "PAYMENT_DECLINED", "PaymentCompleted")]
    [InlineData("CANCELLED", "TIMED_OUT", "InventoryReserved")]
    [InlineData("CANCELLED", "TIMED_OUT", "InventoryReleased")]
    public void Terminal_states_are_final(string status, string? reason, string eventType)
    {
        var terminal = new OrderState(status, reason);

        Assert.Equal(terminal, OrderStatusMachine.Apply(terminal, eventType));
    }

    [Fact]
    public void Unknown_event_types_change_nothing()
    {
        Assert.Equal(Created, OrderStatusMachine.Apply(Created, "SomethingElse"));
    }
}
