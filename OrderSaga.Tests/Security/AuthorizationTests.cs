using System.Net;
using System.Net.Http.Json;
using OrderSaga.Testing;
using OrderSaga.Tests.Infrastructure;
using OrderSaga.Tests.Saga;

namespace OrderSaga.Tests.Security;

/// <summary>A user sees and places only their own orders; operator endpoints are for the admin role.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class AuthorizationTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private const string Alice = "it-alice";
    private const string Mallory = "it-mallory";

    private static readonly (string Method, string Path)[] OperatorEndpoints =
    [
        ("GET", "/operator/dead-letters"),
        ("GET", "/operator/stuck-orders"),
    ];

    [Fact]
    public async Task Another_users_order_and_its_events_are_not_found()
    {
        var alices = await Orders.PlaceAsync(Alice, [("prod-mouse", 1)]);
        using var mallory = await Fixture.CreateApiClientAsync(Mallory);
        using var alice = await Fixture.CreateApiClientAsync(Alice);

        foreach (var path in (string[])[$"/orders/{alices.OrderId}", $"/orders/{alices.OrderId}/events"])
        {
            using var probed = await mallory.GetAsync(path);
            using var own = await alice.GetAsync(path);

            Assert.Equal(HttpStatusCode.NotFound, probed.StatusCode);
            Assert.Equal("application/problem+json", probed.Content.Headers.ContentType?.MediaType);
            // Exactly what an unknown id gets, so nobody learns that the id exists.
            using var unknown = await mallory.GetAsync(path.Replace(alices.OrderId.ToString(), Guid.NewGuid().ToString()));
            Assert.Equal(unknown.StatusCode, probed.StatusCode);
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }
    }

    [Fact]
    public async Task An_operator_reads_any_order()
    {
        var alices = await Orders.PlaceAsync(Alice, [("prod-mouse", 1)]);
        using var admin = await Fixture.CreateAdminApiClientAsync();

        var order = await admin.GetFromJsonAsync<OrderDto>($"/orders/{alices.OrderId}");

        Assert.Equal(Alice, order!.UserId);
    }

    [Fact]
    public async Task An_order_in_someone_elses_name_is_forbidden_and_writes_nothing()
    {
        using var mallory = await Fixture.CreateApiClientAsync(Mallory);
        var alicesOrders = await Database.CountAsync("SELECT count(*) FROM orders WHERE user_id = @p0", Alice);

        using var response = await mallory.PostAsJsonAsync("/orders", new { user_id = Alice, items = new[] { new { product_id = "prod-mouse", qty = 1 } } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(alicesOrders, await Database.CountAsync("SELECT count(*) FROM orders WHERE user_id = @p0", Alice));
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM orders WHERE user_id = @p0", Mallory));
    }

    [Fact]
    public async Task An_order_without_user_id_is_placed_for_the_signed_in_user()
    {
        using var alice = await Fixture.CreateApiClientAsync(Alice);

        using var response = await alice.PostAsJsonAsync("/orders", new { items = new[] { new { product_id = "prod-mouse", qty = 1 } } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await OrderRequests.CreatedAsync(response);
        Assert.Equal([Alice], await Database.ColumnAsync("SELECT user_id FROM orders WHERE id = @p0", created.OrderId));
    }

    [Fact]
    public async Task Operator_endpoints_refuse_users_without_the_admin_role()
    {
        using var alice = await Fixture.CreateOperatorClientAsync(Alice);

        foreach (var (method, path) in OperatorEndpoints)
        {
            using var response = await alice.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} answered {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var redrive = await alice.PostAsJsonAsync("/operator/dead-letters/redrive", new { messages = new[] { new { partition = 0, offset = 0 } } });
        Assert.Equal(HttpStatusCode.Forbidden, redrive.StatusCode);
    }

    [Fact]
    public async Task Operator_endpoints_answer_an_admin()
    {
        using var admin = await Fixture.CreateOperatorClientAsync();

        foreach (var (method, path) in OperatorEndpoints)
        {
            using var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task The_customer_api_serves_no_operator_surface_even_to_an_admin()
    {
        using var admin = await Fixture.CreateAdminApiClientAsync();

        foreach (var path in (string[])[.. OperatorEndpoints.Select(endpoint => endpoint.Path), "/operator/board/stream", ServiceEndpoints.BoardPage])
        {
            using var response = await admin.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"the api answered GET {path} with {(int)response.StatusCode}");
        }
    }
}
