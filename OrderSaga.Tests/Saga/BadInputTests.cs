using System.Net;
using System.Text;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>Every kind of bad input SPEC.md lists gets a 4xx problem-details answer and writes nothing.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class BadInputTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private const string User = "it-bad-input";

    public static TheoryData<string, string, string, string?, HttpStatusCode> BadOrders => new()
    {
        { "malformed JSON", "application/json", """{"user_id":"it-bad-input","items":[{"product_id":"prod-mouse","qty":1}""", null, HttpStatusCode.BadRequest },
        { "not an object", "application/json", "null", null, HttpStatusCode.BadRequest },
        { "blank user_id", "application/json", """{"user_id":"  ","items":[{"product_id":"prod-mouse","qty":1}]}""", null, HttpStatusCode.BadRequest },
        { "no items", "application/json", """{"user_id":"it-bad-input","items":[]}""", null, HttpStatusCode.BadRequest },
        { "items missing", "application/json", """{"user_id":"it-bad-input"}""", null, HttpStatusCode.BadRequest },
        { "qty zero", "application/json", """{"user_id":"it-bad-input","items":[{"product_id":"prod-mouse","qty":0}]}""", null, HttpStatusCode.BadRequest },
        { "qty negative", "application/json", """{"user_id":"it-bad-input","items":[{"product_id":"prod-mouse","qty":-3}]}""", null, HttpStatusCode.BadRequest },
        { "qty absurdly large", "application/json", """{"user_id":"it-bad-input","items":[{"product_id":"prod-mouse","qty":1000000}]}""", null, HttpStatusCode.BadRequest },
        { "qty beyond an integer", "application/json", """{"user_id":"it-bad-input","items":[{"product_id":"prod-mouse","qty":99999999999999}]}""", null, HttpStatusCode.BadRequest },
        { "qty not a number", "application/json", """{"user_id":"it-bad-input","items":[{"product_id":"prod-mouse","qty":"two"}]}""", null, HttpStatusCode.BadRequest },
        { "qty as a string of digits", "application/json", """{"user_id":"it-bad-input","items":[{"product_id":"prod-mouse","qty":"2"}]}""", null, HttpStatusCode.BadRequest },
        { "a key given twice", "application/json", """{"user_id":"it-approved","user_id":"it-bad-input","items":[{"product_id":"prod-mouse","qty":1}]}""", null, HttpStatusCode.BadRequest },
        { "NUL in user_id", "application/json", """{"user_id":"it-bad\u0000input","items":[{"product_id":"prod-mouse","qty":1}]}""", null, HttpStatusCode.BadRequest },
        { "bell in user_id", "application/json", """{"user_id":"it-bad\u0007input","items":[{"product_id":"prod-mouse","qty":1}]}""", null, HttpStatusCode.BadRequest },
        { "NUL in product_id", "application/json", """{"user_id":"it-bad-input","items":[{"product_id":"prod-\u0000mouse","qty":1}]}""", null, HttpStatusCode.BadRequest },
        { "unknown product", "application/json", """{"user_id":"it-bad-input","items":[{"product_id":"prod-unicorn","qty":1}]}""", null, HttpStatusCode.BadRequest },
        { "duplicate lines", "application/json", """{"user_id":"it-bad-input","items":[{"product_id":"prod-mouse","qty":1},{"product_id":"prod-mouse","qty":2}]}""", null, HttpStatusCode.BadRequest },
        { "oversized body", "application/json", $$"""{"user_id":"it-bad-input","items":[{"product_id":"prod-mouse","qty":1}],"note":"{{new string('x', 100_000)}}"}""", null, HttpStatusCode.RequestEntityTooLarge },
        { "not JSON at all", "text/plain", "two mice please", null, HttpStatusCode.UnsupportedMediaType },
        { "idempotency key too long", "application/json", """{"user_id":"it-bad-input","items":[{"product_id":"prod-mouse","qty":1}]}""", new string('k', 200), HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(BadOrders))]
    public async Task A_bad_order_is_refused_with_problem_details_and_writes_nothing(string reason, string contentType, string body, string? idempotencyKey, HttpStatusCode expected)
    {
        var ordersBefore = await Database.CountAsync("SELECT count(*) FROM orders");
        var linesBefore = await Database.CountAsync("SELECT count(*) FROM order_items");
        var eventsBefore = await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE event_type = 'OrderCreated'");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        using var client = await Fixture.CreateApiClientAsync(User);
        using var response = await client.SendAsync(request);

        Assert.True(expected == response.StatusCode, $"{reason}: expected {expected}, got {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"title\"", problem);
        Assert.Contains($"\"status\":{(int)expected}", problem);
        Assert.Equal(ordersBefore, await Database.CountAsync("SELECT count(*) FROM orders"));
        Assert.Equal(linesBefore, await Database.CountAsync("SELECT count(*) FROM order_items"));
        Assert.Equal(eventsBefore, await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE event_type = 'OrderCreated'"));
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM orders WHERE user_id = @p0", User));
    }

    [Fact]
    public async Task A_validation_problem_names_each_field_that_is_wrong()
    {
        using var response = await Http.PostAsync("/orders", new StringContent(
            """{"user_id":" ","items":[{"product_id":"prod-mouse","qty":0},{"product_id":"prod-unicorn","qty":1}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("user_id", problem);
        Assert.Contains("items[0].qty", problem);
    }
}
