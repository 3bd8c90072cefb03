using System.Net;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

[Collection(SagaAppCollection.Name)]
public sealed class OrderQueryTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Theory]
    [InlineData("/orders/{0}")]
    [InlineData("/orders/{0}/events")]
    public async Task An_unknown_order_is_not_found(string path)
    {
        using var response = await Http.GetAsync(string.Format(path, Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/orders/not-a-uuid")]
    [InlineData("/orders/12345/events")]
    public async Task A_malformed_order_id_is_a_bad_request(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("UUID", await response.Content.ReadAsStringAsync());
    }
}
