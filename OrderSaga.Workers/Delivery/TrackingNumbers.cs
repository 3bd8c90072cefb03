namespace OrderSaga.Workers.Delivery;

public static class TrackingNumbers
{
    /// <summary>A carrier-style tracking number such as <c>OS7F3A9C2E41B0</c>.</summary>
    public static string New() => "OS" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
}
