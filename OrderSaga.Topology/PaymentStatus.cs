namespace OrderSaga.Topology;

/// <summary>The outcome of a charge (<c>payments.status</c>).</summary>
public static class PaymentStatus
{
    public const string Approved = "APPROVED";
    public const string Declined = "DECLINED";
}
