using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderSaga.Api.Orders;

namespace OrderSaga.Tests.Unit;

public sealed class ProductPricesTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<string[]> _loads = [];
    private readonly Dictionary<string, decimal> _catalogue = new() { ["mouse"] = 19.99m, ["pad"] = 5m };
    private readonly ProductPrices _prices;

    public ProductPricesTests() =>
        _prices = new ProductPrices(Options.Create(new CatalogueOptions { PriceTimeToLive = TimeSpan.FromSeconds(10) }), _time);

    [Fact]
    public async Task A_price_read_once_prices_the_next_orders_without_a_read()
    {
        await PricesOfAsync("mouse", "pad");
        _catalogue["mouse"] = 24.99m;
        _time.Advance(TimeSpan.FromSeconds(9));

        Assert.Equal(19.99m, (await PricesOfAsync("mouse"))["mouse"]);
        Assert.Single(_loads);
    }

    [Fact]
    public async Task A_price_change_reaches_new_orders_once_the_price_read_has_expired()
    {
        await PricesOfAsync("mouse", "pad");
        _catalogue["mouse"] = 24.99m;
        _time.Advance(TimeSpan.FromSeconds(10));

        var prices = await PricesOfAsync("mouse", "pad");

        Assert.Equal(24.99m, prices["mouse"]);
        Assert.Equal(["mouse", "pad"], _loads[^1]);
    }

    [Fact]
    public async Task A_product_not_in_the_catalogue_is_looked_up_every_time_so_a_new_one_is_found_at_once()
    {
        Assert.Empty(await PricesOfAsync("lamp"));
        _catalogue["lamp"] = 30m;

        Assert.Equal(30m, (await PricesOfAsync("lamp", "mouse"))["lamp"]);
        Assert.Equal(["lamp", "mouse"], _loads[^1]);
    }

    private Task<Dictionary<string, decimal>> PricesOfAsync(params string[] productIds) =>
        _prices.PricesOfAsync(productIds, (missing, _) =>
        {
            _loads.Add([.. missing]);
            return Task.FromResult(missing.Where(_catalogue.ContainsKey).ToDictionary(id => id, id => _catalogue[id]));
        }, CancellationToken.None);
}
