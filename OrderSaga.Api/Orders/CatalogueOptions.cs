namespace OrderSaga.Api.Orders;

/// <summary>How long the api prices orders from a product price it has read (<c>Catalogue</c> section).</summary>
public sealed class CatalogueOptions
{
    public const string Section = "Catalogue";

    public TimeSpan PriceTimeToLive { get; set; } = TimeSpan.FromSeconds(10);
}
