using OrderSaga.Api.Orders;

namespace OrderSaga.Tests.Unit;

public sealed class CreateOrderValidatorTests
{
    private static CreateOrderRequest Order(params CreateOrderLine[] lines) => new("u1", lines);

    [Fact]
    public void A_well_formed_order_has_no_errors()
    {
        Assert.Empty(CreateOrderValidator.Validate(Order(new CreateOrderLine("prod-mouse", 2), new CreateOrderLine("prod-keyboard", 1)), "demo-1"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_user_is_required(string? userId)
    {
        var errors = CreateOrderValidator.Validate(new CreateOrderRequest(userId, [new("prod-mouse", 1)]), null);

        Assert.Equal(["user_id"], errors.Keys);
    }

    [Fact]
    public void An_order_needs_lines()
    {
        Assert.Contains("items", CreateOrderValidator.Validate(new CreateOrderRequest("u1", null), null).Keys);
        Assert.Contains("items", CreateOrderValidator.Validate(new CreateOrderRequest("u1", []), null).Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Quantities_must_be_sensible(int qty)
    {
        var errors = CreateOrderValidator.Validate(Order(new CreateOrderLine("prod-mouse", 1), new CreateOrderLine("prod-keyboard", qty)), null);

        Assert.Equal(["items[1].qty"], errors.Keys);
    }

    [Fact]
    public void A_product_may_appear_on_one_line_only()
    {
        var errors = CreateOrderValidator.Validate(Order(new CreateOrderLine("prod-mouse", 1), new CreateOrderLine("prod-mouse", 2)), null);

        Assert.Equal(["items[1].product_id"], errors.Keys);
    }

    [Fact]
    public void Too_many_lines_are_refused()
    {
        var lines = Enumerable.Range(0, CreateOrderValidator.MaxLines + 1).Select(i => new CreateOrderLine($"p{i}", 1)).ToArray();

        Assert.Contains("items", CreateOrderValidator.Validate(Order(lines), null).Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("naïve")]
    public void An_idempotency_key_must_be_visible_ascii(string key)
    {
        Assert.Equal(["Idempotency-Key"], CreateOrderValidator.Validate(Order(new CreateOrderLine("prod-mouse", 1)), key).Keys);
    }
}
