using System.Net.Http.Headers;
using System.Text;
using OrderSaga.Api.Security;
using OrderSaga.Tests.Infrastructure;
using OrderSaga.Tests.Saga;
using StackExchange.Redis;

namespace OrderSaga.Tests.Security;

/// <summary>
/// Every endpoint, fed what an attacker or a broken client sends, answers 4xx problem details, never 5xx, and
/// writes nothing to PostgreSQL or Redis.
/// </summary>
[Collection(SagaAppCollection.Name)]
public sealed class HostileInputTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private const string User = "it-hostile";
    private const string Mouse = """{"product_id":"prod-mouse","qty":1}""";

    private static readonly Dictionary<string, HostileRequest> Requests = new HostileRequest[]
    {
        // Wrong types and nulls.
        Order("items is a string", """{"items":"prod-mouse"}"""),
        Order("items is an object", """{"items":{"product_id":"prod-mouse","qty":1}}"""),
        Order("lines are numbers", """{"items":[1,2,3]}"""),
        Order("product_id is a number", """{"items":[{"product_id":7,"qty":1}]}"""),
        Order("qty is a boolean", """{"items":[{"product_id":"prod-mouse","qty":true}]}"""),
        Order("user_id is a number", $$"""{"user_id":42,"items":[{{Mouse}}]}"""),
        Order("user_id is an array", $$"""{"user_id":["{{User}}"],"items":[{{Mouse}}]}"""),
        Order("items is null", """{"items":null}"""),
        Order("a line is null", """{"items":[null]}"""),
        Order("product_id is null", """{"items":[{"product_id":null,"qty":1}]}"""),
        Order("qty is null", """{"items":[{"product_id":"prod-mouse","qty":null}]}"""),
        Order("the body is an array", $$"""[{{Mouse}}]"""),
        Order("the body is a string", "\"prod-mouse\""),
        // Negative and enormous numbers.
        Order("qty is the smallest integer", """{"items":[{"product_id":"prod-mouse","qty":-2147483648}]}"""),
        Order("qty overflows an integer", """{"items":[{"product_id":"prod-mouse","qty":2147483648}]}"""),
        Order("qty is 1e308", """{"items":[{"product_id":"prod-mouse","qty":1e308}]}"""),
        Order("qty is a fraction", """{"items":[{"product_id":"prod-mouse","qty":1.5}]}"""),
        Order("qty is NaN", """{"items":[{"product_id":"prod-mouse","qty":NaN}]}"""),
        Order("too many lines", $$"""{"items":[{{string.Join(",", Enumerable.Range(0, 51).Select(i => $$"""{"product_id":"p{{i}}","qty":1}"""))}}]}"""),
        // Very long strings, unicode and control characters.
        Order("a 10k product_id", $$"""{"items":[{"product_id":"{{new string('p', 10_000)}}","qty":1}]}"""),
        Order("a 10k user_id", $$"""{"user_id":"{{new string('u', 10_000)}}","items":[{{Mouse}}]}"""),
        Order("a lone surrogate in product_id", """{"items":[{"product_id":"prod-\ud800mouse","qty":1}]}"""),
        Order("right-to-left override in product_id", """{"items":[{"product_id":"prod-\u202emouse","qty":1}]}"""),
        Order("emoji product_id", """{"items":[{"product_id":"🐭","qty":1}]}"""),
        Order("an escape sequence in user_id", """{"user_id":"it-hostile\u001b[31m","items":[{"product_id":"prod-mouse","qty":1}]}"""),
        Order("NUL in user_id", """{"user_id":"it-hostile\u0000","items":[{"product_id":"prod-mouse","qty":1}]}"""),
        Order("invalid UTF-8 bytes", "{\"items\":[{\"product_id\":\"prod-\xff\xfe\",\"qty\":1}]}", encoding: Encoding.Latin1),
        // SQL and script fragments.
        Order("SQL in product_id", """{"items":[{"product_id":"prod-mouse' OR '1'='1","qty":1}]}"""),
        Order("a DROP TABLE in product_id", """{"items":[{"product_id":"x'); DROP TABLE orders; --","qty":1}]}"""),
        Order("SQL in user_id", $$"""{"user_id":"it-hostile' OR '1'='1","items":[{{Mouse}}]}"""),
        Order("script in product_id", """{"items":[{"product_id":"<script>alert(1)</script>","qty":1}]}"""),
        Order("script in user_id", $$"""{"user_id":"<img src=x onerror=alert(1)>","items":[{{Mouse}}]}"""),
        // Duplicate keys and deep nesting.
        Order("items twice", $$"""{"items":[{{Mouse}}],"items":[{{Mouse}},{"product_id":"prod-keyboard","qty":1}]}"""),
        Order("product_id twice in a line", """{"items":[{"product_id":"prod-mouse","product_id":"prod-keyboard","qty":1}]}"""),
        Order("3,000-deep arrays", new string('[', 3000) + new string(']', 3000)),
        Order("3,000-deep objects", string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3000)),
        // Headers: huge and malformed Idempotency-Keys, content types, tokens.
        Order("a 10k Idempotency-Key", $$"""{"items":[{{Mouse}}]}""", headers: [("Idempotency-Key", new string('k', 10_000))]),
        Order("an Idempotency-Key with spaces", $$"""{"items":[{{Mouse}}]}""", headers: [("Idempotency-Key", "a key with spaces")]),
        Order("an empty Idempotency-Key", $$"""{"items":[{{Mouse}}]}""", headers: [("Idempotency-Key", "")]),
        Order("an Idempotency-Key with SQL", $$"""{"items":[{{Mouse}}]}""", headers: [("Idempotency-Key", "k' OR 1=1; --")]),
        Order("two Idempotency-Keys", $$"""{"items":[{{Mouse}}]}""", headers: [("Idempotency-Key", "first"), ("Idempotency-Key", "second")]),
        Order("XML", "<order><item>prod-mouse</item></order>", contentType: "application/xml"),
        Order("a form", "items=prod-mouse", contentType: "application/x-www-form-urlencoded"),
        Order("a garbage bearer token", $$"""{"items":[{{Mouse}}]}""", token: "not.a.token"),
        Order("a 10k bearer token", $$"""{"items":[{{Mouse}}]}""", token: new string('t', 10_000)),
        // Paths and query strings.
        Get("SQL as an order id", "/orders/'%20OR%201=1--"),
        Get("script as an order id", "/orders/%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
        Get("a 5k order id", $"/orders/{new string('a', 5_000)}"),
        // Kestrel itself refuses this request line, before any of our code runs: a bare 400.
        Get("NUL as an order id", "/orders/%00") with { ReachesApp = false },
        Get("a path traversal", "/orders/..%2F..%2Fetc%2Fpasswd/events"),
        Get("an emoji order id", "/orders/%F0%9F%90%AD/events"),
        Get("the empty order id", "/orders/00000000-0000-0000-0000-000000000000"),
        new("PUT on the catalogue", "PUT", "/products", "{}"),
        Operator("a negative page size", "GET", "/operator/dead-letters?per_partition=-1"),
        Operator("an enormous page size", "GET", "/operator/dead-letters?per_partition=99999999999"),
        Operator("a page size that is SQL", "GET", "/operator/dead-letters?per_partition=1;DROP%20TABLE%20orders"),
        Operator("negative idle seconds", "GET", "/operator/stuck-orders?idle_seconds=-5"),
        Operator("idle seconds that are script", "GET", "/operator/stuck-orders?idle_seconds=%3Cscript%3E"),
        Operator("a re-drive of orders idle for negative seconds", "POST", "/operator/stuck-orders/redrive?idle_seconds=-1"),
        Operator("a re-drive of orders idle for longer than a long", "POST", "/operator/stuck-orders/redrive?idle_seconds=99999999999999999999"),
        Operator("a re-drive of nothing", "POST", "/operator/dead-letters/redrive", """{"messages":[]}"""),
        Operator("a re-drive of a string", "POST", "/operator/dead-letters/redrive", """{"messages":"all"}"""),
        Operator("a re-drive of a negative partition", "POST", "/operator/dead-letters/redrive", """{"messages":[{"partition":-1,"offset":0}]}"""),
        Operator("a re-drive of an offset beyond a long", "POST", "/operator/dead-letters/redrive", """{"messages":[{"partition":0,"offset":1e400}]}"""),
        Operator("a re-drive of 101 messages", "POST", "/operator/dead-letters/redrive", $$"""{"messages":[{{string.Join(",", Enumerable.Repeat("""{"partition":0,"offset":0}""", 101))}}]}"""),
        Operator("an audit trail of an order id that is not one", "GET", "/operator/orders/..%2F..%2Fproducts/events"),
        Operator("a re-drive nested 3,000 deep", "POST", "/operator/dead-letters/redrive", new string('[', 3000) + new string(']', 3000)),
    }.ToDictionary(request => request.Name);

    public static TheoryData<string> Names => [.. Requests.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_hostile_request_gets_a_4xx_problem_and_writes_nothing(string name)
    {
        var hostile = Requests[name];
        var before = await WrittenAsync();

        using var response = await SendAsync(hostile);

        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{name}: answered {status}: {await response.Content.ReadAsStringAsync()}");
        if (hostile.ReachesApp)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync());

        Assert.Equal(before, await WrittenAsync());
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await Fixture.ConnectionStringAsync(ResourceNames.Redis));
        // Every attempt counts against the user's order limit, refused or not, so a flood of bad orders is limited
        // too; nothing else of theirs may be in Redis.
        Assert.DoesNotContain(redis.GetServers().Single().Keys(pattern: $"*{User}*"), key => key != SharedOrderRateLimiter.Key(User));
    }

    private async Task<HttpResponseMessage> SendAsync(HostileRequest hostile)
    {
        // Operator requests go to the operator console, the rest to the customer api.
        using var api = hostile.AsOperator ? Fixture.CreateOperatorClient() : Fixture.CreateApiClient();
        var token = hostile.Token ?? (hostile.AsOperator
            ? await Fixture.Tokens.ForAdminAsync(SagaAppFixture.AdminUser)
            : await Fixture.Tokens.ForUserAsync(User));
        using var request = new HttpRequestMessage(new HttpMethod(hostile.Method), hostile.Path);
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        if (hostile.Body is not null)
        {
            request.Content = new ByteArrayContent(hostile.Encoding.GetBytes(hostile.Body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(hostile.ContentType);
        }

        foreach (var (header, value) in hostile.Headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return await api.SendAsync(request);
    }

    /// <summary>Rows only a request can write: orders, their lines, their OrderCreated events, and events an operator re-drove.</summary>
    private async Task<(long Orders, long Lines, long Created, long Redriven)> WrittenAsync() => (
        await Database.CountAsync("SELECT count(*) FROM orders"),
        await Database.CountAsync("SELECT count(*) FROM order_items"),
        await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE event_type = 'OrderCreated'"),
        await Database.CountAsync("SELECT count(*) FROM outbox_messages WHERE redriven_at IS NOT NULL"));

    private static HostileRequest Order(string name, string body, string contentType = "application/json", Encoding? encoding = null, (string, string)[]? headers = null, string? token = null) =>
        new(name, "POST", "/orders", body, contentType, encoding, headers, token);

    private static HostileRequest Get(string name, string path) => new(name, "GET", path);

    private static HostileRequest Operator(string name, string method, string path, string? body = null) =>
        new(name, method, path, body, AsOperator: true);

    private sealed record HostileRequest(
        string Name,
        string Method,
        string Path,
        string? Body = null,
        string ContentType = "application/json",
        Encoding? BodyEncoding = null,
        (string Header, string Value)[]? ExtraHeaders = null,
        string? Token = null,
        bool AsOperator = false)
    {
        public bool ReachesApp { get; init; } = true;

        public Encoding Encoding => BodyEncoding ?? Encoding.UTF8;
        public (string Header, string Value)[] Headers => ExtraHeaders ?? [];
    }
}
