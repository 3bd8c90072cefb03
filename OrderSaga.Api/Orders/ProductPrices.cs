using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace OrderSaga.Api.Orders;

/// <summary>
/// The prices of the products orders ask for, kept warm in the api so placing an order reads nothing from the
/// database. A price is used for <see cref="CatalogueOptions.PriceTimeToLive"/> after it was read, so a price
/// change reaches new orders within that time; a product not known yet is looked up at once, every time.
/// </summary>
public sealed class ProductPrices(IOptions<CatalogueOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Price> _prices = new(StringComparer.Ordinal);

    /// <summary>The prices of the products that exist among <paramref name="productIds"/>; <paramref name="load"/> reads those not held.</summary>
    public async Task<Dictionary<string, decimal>> PricesOfAsync(
        IReadOnlyCollection<string> productIds,
        Func<IReadOnlyCollection<string>, CancellationToken, Task<Dictionary<string, decimal>>> load,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var prices = new Dictionary<string, decimal>(productIds.Count, StringComparer.Ordinal);
        List<string>? missing = null;
        foreach (var productId in productIds)
        {
            if (_prices.TryGetValue(productId, out var price) && price.Until > now)
            {
                prices[productId] = price.Amount;
            }
            else
            {
                (missing ??= []).Add(productId);
            }
        }

        if (missing is null)
        {
            return prices;
        }

        var until = now + options.Value.PriceTimeToLive;
        foreach (var (productId, amount) in await load(missing, cancellationToken))
        {
            _prices[productId] = new Price(amount, until);
            prices[productId] = amount;
        }

        return prices;
    }

    private readonly record struct Price(decimal Amount, DateTimeOffset Until);
}
