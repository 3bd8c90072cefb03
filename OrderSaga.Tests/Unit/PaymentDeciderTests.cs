using Microsoft.Extensions.Options;
using OrderSaga.Workers.Payment;

namespace OrderSaga.Tests.Unit;

public sealed class PaymentDeciderTests
{
    private static PaymentDecider Decider(double declineRate, double draw) => new(
        new StaticOptions(new PaymentOptions { DeclineRate = declineRate, AlwaysApproveUsers = ["vip"], AlwaysDeclineUsers = ["fraudster"] }),
        () => draw);

    [Theory]
    [InlineData(0.10, false)]
    [InlineData(0.20, true)]
    public void Declines_when_the_draw_falls_under_the_rate(double draw, bool approved)
    {
        Assert.Equal(approved, Decider(declineRate: 0.15, draw).Decide("someone").Approved);
    }

    [Fact]
    public void Configured_users_are_always_approved_or_declined()
    {
        Assert.True(Decider(declineRate: 1.0, draw: 0.0).Decide("vip").Approved);
        Assert.Equal(PaymentDecision.Decline, Decider(declineRate: 0.0, draw: 0.99).Decide("fraudster"));
    }

    [Fact]
    public void The_default_decline_rate_is_fifteen_percent()
    {
        Assert.Equal(0.15, new PaymentOptions().DeclineRate);
    }

    private sealed class StaticOptions(PaymentOptions value) : IOptionsMonitor<PaymentOptions>
    {
        public PaymentOptions CurrentValue => value;
        public PaymentOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<PaymentOptions, string?> listener) => null;
    }
}
