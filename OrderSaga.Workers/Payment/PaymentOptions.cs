using System.ComponentModel.DataAnnotations;

namespace OrderSaga.Workers.Payment;

/// <summary>The simulated payment provider (<c>Payment</c> section).</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payment";

    /// <summary>Share of payments declined at random.</summary>
    [Range(0.0, 1.0)]
    public double DeclineRate { get; set; } = 0.15;

    /// <summary>Users whose payments are always approved (test and demo accounts); set per environment, never by a caller.</summary>
    public List<string> AlwaysApproveUsers { get; set; } = [];

    /// <summary>Users whose payments are always declined.</summary>
    public List<string> AlwaysDeclineUsers { get; set; } = [];
}
