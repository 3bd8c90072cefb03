using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Security;

/// <summary>Without a valid bearer token no order endpoint and no operator endpoint answers anything but 401.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class AuthenticationTests(SagaAppFixture fixture)
{
    private static readonly (string Service, string Method, string Path)[] ProtectedEndpoints =
    [
        (ResourceNames.Api, "POST", "/orders"),
        (ResourceNames.Api, "GET", $"/orders/{Guid.NewGuid()}"),
        (ResourceNames.Api, "GET", $"/orders/{Guid.NewGuid()}/events"),
        (ResourceNames.Operator, "GET", "/operator/dead-letters"),
        (ResourceNames.Operator, "POST", "/operator/dead-letters/redrive"),
        (ResourceNames.Operator, "GET", "/operator/stuck-orders"),
        (ResourceNames.Operator, "POST", "/operator/stuck-orders/redrive"),
        (ResourceNames.Operator, "GET", "/operator/board/stream"),
        (ResourceNames.Operator, "GET", $"/operator/orders/{Guid.NewGuid()}/events"),
        (ResourceNames.Operator, "POST", "/operator/demo-orders"),
    ];

    [Fact]
    public async Task No_token_is_unauthorized_everywhere()
    {
        await AssertUnauthorizedEverywhereAsync(token: null);
    }

    [Fact]
    public async Task An_expired_token_is_unauthorized_everywhere()
    {
        await AssertUnauthorizedEverywhereAsync(await fixture.Tokens.ExpiredAsync());
    }

    [Fact]
    public async Task A_token_with_a_wrong_signature_is_unauthorized_everywhere()
    {
        var valid = await fixture.Tokens.ForAdminAsync(SagaAppFixture.AdminUser);
        // The same claims (an admin's), signed by somebody else.
        var forged = valid[..valid.LastIndexOf('.')] + "." + Convert.ToBase64String(new byte[32]).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        await AssertUnauthorizedEverywhereAsync(forged);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_unauthorized_everywhere()
    {
        await AssertUnauthorizedEverywhereAsync(await fixture.Tokens.CreateAsync(
            "--name", SagaAppFixture.AdminUser, "--role", "admin", "--audience", "https://some-other-api.example"));
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_unauthorized_everywhere()
    {
        await AssertUnauthorizedEverywhereAsync(await fixture.Tokens.CreateAsync(
            "--name", SagaAppFixture.AdminUser, "--role", "admin", "--issuer", "some-other-issuer"));
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_unauthorized_everywhere()
    {
        var dayAfterTomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await AssertUnauthorizedEverywhereAsync(await fixture.Tokens.CreateAsync(
            "--name", SagaAppFixture.AdminUser, "--role", "admin", "--not-before", dayAfterTomorrow, "--valid-for", "5d"));
    }

    [Fact]
    public async Task The_catalogue_is_public()
    {
        using var api = fixture.CreateApiClient();

        using var response = await api.GetAsync("/products");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task AssertUnauthorizedEverywhereAsync(string? token)
    {
        var ordersBefore = await CountOrdersAsync();
        foreach (var (service, method, path) in ProtectedEndpoints)
        {
            await AssertUnauthorizedAsync(service, method, path, token);
        }

        Assert.Equal(ordersBefore, await CountOrdersAsync());
    }

    private async Task AssertUnauthorizedAsync(string service, string method, string path, string? token)
    {
        using var api = fixture.App.CreateHttpClient(service);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { user_id = SagaAppFixture.AdminUser, items = new[] { new { product_id = "prod-mouse", qty = 1 } } });
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await api.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} of {service} answered {(int)response.StatusCode}");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<long> CountOrdersAsync() =>
        await new Saga.SagaDatabase(await fixture.ConnectionStringAsync(ResourceNames.Database)).CountAsync("SELECT count(*) FROM orders");
}
