using System.Net.Http.Json;

namespace OrderSaga.Tests.Infrastructure;

[Collection(SagaAppCollection.Name)]
public sealed class ProductsApiTests(SagaAppFixture fixture)
{
    [Fact]
    public async Task Lists_the_seeded_catalogue_from_postgres()
    {
        using var api = fixture.CreateApiClient();

        var products = await api.GetFromJsonAsync<List<ProductDto>>("/products");

        Assert.NotNull(products);
        Assert.Contains(products, p => p.Id == "prod-mouse" && p.Stock > 0 && p.Price > 0);
        Assert.Contains(products, p => p.Id == "prod-keyboard" && p.Stock > 0);
        var webcam = Assert.Single(products, p => p.Id == "prod-webcam");
        Assert.Equal(0, webcam.Stock);
        Assert.True(products.Count(p => p.Stock > 0) >= 4);
    }
}
