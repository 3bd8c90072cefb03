using Microsoft.Extensions.Options;

namespace OrderSaga.Workers.Payment;

public sealed record PaymentDecision(bool Approved, string? DeclineReason)
{
    public static readonly PaymentDecision Approve = new(true, null);
    public static readonly PaymentDecision Decline = new(false, "CARD_DECLINED");
}

/// <summary>Stands in for a card processor: approves, or declines at the configured rate.</summary>
public sealed class PaymentDecider(IOptionsMonitor<PaymentOptions> options, Func<double> nextRandom)
{
    public PaymentDecider(IOptionsMonitor<PaymentOptions> options) : this(options, Random.Shared.NextDouble)
    {
    }

    public PaymentDecision Decide(string userId)
    {
        var settings = options.CurrentValue;
        if (settings.AlwaysDeclineUsers.Contains(userId))
        {
            return PaymentDecision.Decline;
        }

        if (settings.AlwaysApproveUsers.Contains(userId))
        {
            return PaymentDecision.Approve;
        }

        return nextRandom() < settings.DeclineRate ? PaymentDecision.Decline : PaymentDecision.Approve;
    }
}
