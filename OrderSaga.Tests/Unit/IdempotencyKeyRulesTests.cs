using OrderSaga.Api.Orders;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Tests.Unit;

/// <summary>The pure rules behind Idempotency-Key: whose key it is, and whether a repeat is the same request.</summary>
public sealed class IdempotencyKeyRulesTests
{
    [Fact]
    public void User_and_key_pairs_that_join_to_the_same_text_get_different_redis_keys()
    {
        Assert.NotEqual(IdempotencyKeys.Key("acme:42", "7"), IdempotencyKeys.Key("acme", "42:7"));
        Assert.Equal(IdempotencyKeys.Key("acme", "42:7"), IdempotencyKeys.Key("acme", "42:7"));
    }

    [Fact]
    public void A_repeat_with_the_same_lines_in_another_order_is_the_same_request()
    {
        var draft = Draft(("prod-mouse", 1), ("prod-keyboard", 2));

        Assert.True(draft.SameLinesAs([new KeyedOrderLine("prod-keyboard", 2), new KeyedOrderLine("prod-mouse", 1)]));
    }

    [Theory]
    [InlineData("prod-mouse", 2)]
    [InlineData("prod-webcam", 1)]
    public void A_repeat_with_another_quantity_or_product_is_another_request(string productId, int qty)
    {
        Assert.False(Draft((productId, qty)).SameLinesAs([new KeyedOrderLine("prod-mouse", 1)]));
    }

    [Fact]
    public void A_repeat_with_a_line_more_or_less_is_another_request()
    {
        Assert.False(Draft(("prod-mouse", 1)).SameLinesAs([new KeyedOrderLine("prod-mouse", 1), new KeyedOrderLine("prod-keyboard", 1)]));
        Assert.False(Draft(("prod-mouse", 1), ("prod-keyboard", 1)).SameLinesAs([new KeyedOrderLine("prod-mouse", 1)]));
    }

    private static OrderDraft Draft(params (string ProductId, int Qty)[] lines) =>
        new(Guid.NewGuid(), "u1", [.. lines.Select(line => new OrderLine(line.ProductId, line.Qty, 1m))], lines.Sum(line => line.Qty), "key");
}
