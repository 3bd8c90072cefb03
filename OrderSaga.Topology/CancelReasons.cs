namespace OrderSaga.Topology;

/// <summary>Why a cancelled order was cancelled (<c>orders.cancel_reason</c>).</summary>
public static class CancelReasons
{
    public const string OutOfStock = "OUT_OF_STOCK";
    public const string PaymentDeclined = "PAYMENT_DECLINED";

    /// <summary>Given up by the reconciler: still not paid long after it was placed, its stock given back.</summary>
    public const string TimedOut = "TIMED_OUT";
}
