using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OrderSaga.Api.Security;
using OrderSaga.Tests.Infrastructure;
using OrderSaga.Tests.Saga;
using StackExchange.Redis;

namespace OrderSaga.Tests.Security;

/// <summary>
/// Every endpoint, fed what an attacker or a broken client sends, answers the 4xx problem details its case expects
/// (the status, and the field, JSON path or parameter at fault), never 5xx, and writes nothing to PostgreSQL or Redis.
/// </summary>
[Collection(SagaAppCollection.Name)]
public sealed class HostileInputTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private const string User = "it-hostile";
    private const string Mouse = """{"product_id":"prod-mouse","qty":1}""";

    private static readonly Dictionary<string, HostileRequest> Requests = new HostileRequest[]
    {
        // Wrong types and nulls.
        Order("items is a string", """{"items":"prod-mouse"}""") with { Expected = Malformed("Path: $.items") },
        Order("items is an object", """{"items":{"product_id":"prod-mouse","qty":1}}""") with { Expected = Malformed("Path: $.items") },
        Order("lines are numbers", """{"items":[1,2,3]}""") with { Expected = Malformed("Path: $.items[0]") },
        Order("product_id is a number", """{"items":[{"product_id":7,"qty":1}]}""") with { Expected = Malformed("Path: $.items[0].product_id") },
        Order("qty is a boolean", """{"items":[{"product_id":"prod-mouse","qty":true}]}""") with { Expected = Malformed("Path: $.items[0].qty") },
        Order("user_id is a number", $$"""{"user_id":42,"items":[{{Mouse}}]}""") with { Expected = Malformed("Path: $.user_id") },
        Order("user_id is an array", $$"""{"user_id":["{{User}}"],"items":[{{Mouse}}]}""") with { Expected = Malformed("Path: $.user_id") },
        Order("items is null", """{"items":null}""") with { Expected = Invalid("items") },
        Order("a line is null", """{"items":[null]}""") with { Expected = Invalid("items[0]") },
        Order("product_id is null", """{"items":[{"product_id":null,"qty":1}]}""") with { Expected = Invalid("items[0].product_id") },
        Order("qty is null", """{"items":[{"product_id":"prod-mouse","qty":null}]}""") with { Expected = Malformed("Path: $.items[0].qty") },
        Order("the body is an array", $$"""[{{Mouse}}]""") with { Expected = Malformed("Path: $") },
        Order("the body is a string", "\"prod-mouse\"") with { Expected = Malformed("Path: $") },
        // Negative and enormous numbers.
        Order("qty is the smallest integer", """{"items":[{"product_id":"prod-mouse","qty":-2147483648}]}""") with { Expected = Invalid("items[0].qty") },
        Order("qty overflows an integer", """{"items":[{"product_id":"prod-mouse","qty":2147483648}]}""") with { Expected = Malformed("Path: $.items[0].qty") },
        Order("qty is 1e308", """{"items":[{"product_id":"prod-mouse","qty":1e308}]}""") with { Expected = Malformed("Path: $.items[0].qty") },
        Order("qty is a fraction", """{"items":[{"product_id":"prod-mouse","qty":1.5}]}""") with { Expected = Malformed("Path: $.items[0].qty") },
        Order("qty is NaN", """{"items":[{"product_id":"prod-mouse","qty":NaN}]}""") with { Expected = Malformed("Path: $.items[0].qty") },
        Order("too many lines", $$"""{"items":[{{string.Join(",", Enumerable.Range(0, 51).Select(i => $$"""{"product_id":"p{{i}}","qty":1}"""))}}]}""") with { Expected = Invalid("items") },
        // Very long strings, unicode and control characters.
        Order("a 10k product_id", $$"""{"items":[{"product_id":"{{new string('p', 10_000)}}","qty":1}]}""") with { Expected = Invalid("items[0].product_id") },
        Order("a 10k user_id", $$"""{"user_id":"{{new string('u', 10_000)}}","items":[{{Mouse}}]}""") with { Expected = Invalid("user_id") },
        Order("a lone surrogate in product_id", """{"items":[{"product_id":"prod-\ud800mouse","qty":1}]}""") with { Expected = Malformed("Path: $.items[0].product_id") },
        Order("right-to-left override in product_id", """{"items":[{"product_id":"prod-\u202emouse","qty":1}]}""") with { Expected = Invalid("items[0].product_id") },
        Order("emoji product_id", """{"items":[{"product_id":"🐭","qty":1}]}""") with { Expected = Invalid("items[0].product_id") },
        Order("an escape sequence in user_id", """{"user_id":"it-hostile\u001b[31m","items":[{"product_id":"prod-mouse","qty":1}]}""") with { Expected = Invalid("user_id") },
        Order("NUL in user_id", """{"user_id":"it-hostile\u0000","items":[{"product_id":"prod-mouse","qty":1}]}""") with { Expected = Invalid("user_id") },
        Order("invalid UTF-8 bytes", "{\"items\":[{\"product_id\":\"prod-\xff\xfe\",\"qty\":1}]}", encoding: Encoding.Latin1) with { Expected = Malformed("Path: $.items[0].product_id") },
        // SQL and script fragments.
        Order("SQL in product_id", """{"items":[{"product_id":"prod-mouse' OR '1'='1","qty":1}]}""") with { Expected = Invalid("items[0].product_id") },
        Order("a DROP TABLE in product_id", """{"items":[{"product_id":"x'); DROP TABLE orders; --","qty":1}]}""") with { Expected = Invalid("items[0].product_id") },
        Order("SQL in user_id", $$"""{"user_id":"it-hostile' OR '1'='1","items":[{{Mouse}}]}""") with { Expected = NotYourUserId },
        Order("script in product_id", """{"items":[{"product_id":"<script>alert(1)</script>","qty":1}]}""") with { Expected = Invalid("items[0].product_id") },
        Order("script in user_id", $$"""{"user_id":"<img src=x onerror=alert(1)>","items":[{{Mouse}}]}""") with { Expected = NotYourUserId },
        // Duplicate keys and deep nesting.
        Order("items twice", $$"""{"items":[{{Mouse}}],"items":[{{Mouse}},{"product_id":"prod-keyboard","qty":1}]}""") with { Expected = Malformed("Duplicate property 'items'") },
        Order("product_id twice in a line", """{"items":[{"product_id":"prod-mouse","product_id":"prod-keyboard","qty":1}]}""") with { Expected = Malformed("Duplicate property 'product_id'") },
        Order("3,000-deep arrays", new string('[', 3000) + new string(']', 3000)) with { Expected = Malformed("Path: $") },
        Order("3,000-deep objects", string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3000)) with { Expected = Malformed("maximum configured depth") },
        // Headers: huge and malformed Idempotency-Keys, content types, tokens.
        Order("a 10k Idempotency-Key", $$"""{"items":[{{Mouse}}]}""", headers: [("Idempotency-Key", new string('k', 10_000))]) with { Expected = Invalid("Idempotency-Key") },
        Order("an Idempotency-Key with spaces", $$"""{"items":[{{Mouse}}]}""", headers: [("Idempotency-Key", "a key with spaces")]) with { Expected = Invalid("Idempotency-Key") },
        Order("an empty Idempotency-Key", $$"""{"items":[{{Mouse}}]}""", headers: [("Idempotency-Key", "")]) with { Expected = Invalid("Idempotency-Key") },
        Order("an Idempotency-Key with SQL", $$"""{"items":[{{Mouse}}]}""", headers: [("Idempotency-Key", "k' OR 1=1; --")]) with { Expected = Invalid("Idempotency-Key") },
        Order("two Idempotency-Keys", $$"""{"items":[{{Mouse}}]}""", headers: [("Idempotency-Key", "first"), ("Idempotency-Key", "second")]) with { Expected = Invalid("Idempotency-Key") },
        Order("XML", "<order><item>prod-mouse</item></order>", contentType: "application/xml") with { Expected = Refused(415, "Unsupported Media Type") },
        Order("a form", "items=prod-mouse", contentType: "application/x-www-form-urlencoded") with { Expected = Refused(415, "Unsupported Media Type") },
        Order("a garbage bearer token", $$"""{"items":[{{Mouse}}]}""", token: "not.a.token") with { Expected = Refused(401, "Unauthorized") },
        Order("a 10k bearer token", $$"""{"items":[{{Mouse}}]}""", token: new string('t', 10_000)) with { Expected = Refused(401, "Unauthorized") },
        // Paths and query strings.
        Get("SQL as an order id", "/orders/'%20OR%201=1--") with { Expected = NotAnOrderId },
        Get("script as an order id", "/orders/%3Cscript%3Ealert(1)%3C%2Fscript%3E") with { Expected = NotAnOrderId },
        Get("a 5k order id", $"/orders/{new string('a', 5_000)}") with { Expected = NotAnOrderId },
        // Kestrel itself refuses this request line, before any of our code runs: a bare 400.
        Get("NUL as an order id", "/orders/%00") with { ReachesApp = false, Expected = Refused(400) },
        Get("a path traversal", "/orders/..%2F..%2Fetc%2Fpasswd/events") with { Expected = NotAnOrderId },
        Get("an emoji order id", "/orders/%F0%9F%90%AD/events") with { Expected = NotAnOrderId },
        Get("the empty order id", "/orders/00000000-0000-0000-0000-000000000000") with { Expected = Refused(404, "Order not found") },
        new HostileRequest("PUT on the catalogue", "PUT", "/products", "{}") with { Expected = Refused(405, "Method Not Allowed") },
        Operator("a negative page size", "GET", "/operator/dead-letters?per_partition=-1") with { Expected = Invalid("per_partition") },
        Operator("an enormous page size", "GET", "/operator/dead-letters?per_partition=99999999999") with { Expected = Unbound("int perPartition") },
        Operator("a page size that is SQL", "GET", "/operator/dead-letters?per_partition=1;DROP%20TABLE%20orders") with { Expected = Unbound("int perPartition") },
        Operator("negative idle seconds", "GET", "/operator/stuck-orders?idle_seconds=-5") with { Expected = Invalid("idle_seconds") },
        Operator("idle seconds that are script", "GET", "/operator/stuck-orders?idle_seconds=%3Cscript%3E") with { Expected = Unbound("Nullable<int> idleSeconds") },
        Operator("a re-drive of orders idle for negative seconds", "POST", "/operator/stuck-orders/redrive?idle_seconds=-1") with { Expected = Invalid("idle_seconds") },
        Operator("a re-drive of orders idle for longer than a long", "POST", "/operator/stuck-orders/redrive?idle_seconds=99999999999999999999") with { Expected = Unbound("Nullable<int> idleSeconds") },
        Operator("a re-drive of nothing", "POST", "/operator/dead-letters/redrive", """{"messages":[]}""") with { Expected = Invalid("messages") },
        Operator("a re-drive of a string", "POST", "/operator/dead-letters/redrive", """{"messages":"all"}""") with { Expected = Unbound("RedriveRequest request") },
        Operator("a re-drive of a negative partition", "POST", "/operator/dead-letters/redrive", """{"messages":[{"partition":-1,"offset":0}]}""") with { Expected = Invalid("messages") },
        Operator("a re-drive of an offset beyond a long", "POST", "/operator/dead-letters/redrive", """{"messages":[{"partition":0,"offset":1e400}]}""") with { Expected = Unbound("RedriveRequest request") },
        Operator("a re-drive of 101 messages", "POST", "/operator/dead-letters/redrive", $$"""{"messages":[{{string.Join(",", Enumerable.Repeat("""{"partition":0,"offset":0}""", 101))}}]}""") with { Expected = Invalid("messages") },
        Operator("an audit trail of an order id that is not one", "GET", "/operator/orders/..%2F..%2Fproducts/events") with { Expected = Refused(404, "Not Found") },
        Operator("a re-drive nested 3,000 deep", "POST", "/operator/dead-letters/redrive", new string('[', 3000) + new string(']', 3000)) with { Expected = Unbound("RedriveRequest request") },
    }.ToDictionary(request => request.Name);

    public static TheoryData<string> Names => [.. Requests.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_hostile_request_gets_a_4xx_problem_and_writes_nothing(string name)
    {
        var hostile = Requests[name];
        var before = await WrittenAsync();

        using var response = await SendAsync(hostile);

        var body = await response.Content.ReadAsStringAsync();
        var expected = hostile.Expected ?? throw new InvalidOperationException($"{name} names no expected answer");
        Assert.True(expected.Status == (int)response.StatusCode, $"{name}: answered {(int)response.StatusCode}, not {expected.Status}: {body}");
        if (hostile.ReachesApp)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            AssertNames(expected, JsonDocument.Parse(body).RootElement, name);
        }

        Assert.DoesNotContain("   at ", body);

        Assert.Equal(before, await WrittenAsync());
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await Fixture.ConnectionStringAsync(ResourceNames.Redis));
        // Every attempt counts against the user's order limit, refused or not, so a flood of bad orders is limited
        // too; nothing else of theirs may be in Redis.
        Assert.DoesNotContain(redis.GetServers().Single().Keys(pattern: $"*{User}*"), key => key != SharedOrderRateLimiter.Key(User));
    }

    /// <summary>The problem is the one the case is about: its title, and the field, JSON path or parameter it names.</summary>
    private static void AssertNames(ExpectedProblem expected, JsonElement problem, string name)
    {
        Assert.Equal(expected.Title, problem.GetProperty("title").GetString());
        if (expected.Names is not { } names)
        {
            return;
        }

        var namesField = problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(names, out _);
        var detail = problem.TryGetProperty("detail", out var text) ? text.GetString() ?? "" : "";
        Assert.True(namesField || detail.Contains(names, StringComparison.Ordinal), $"{name}: the problem does not name {names}: {problem}");
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

    private static ExpectedProblem Invalid(string field) => new(400, "One or more validation errors occurred.", field);

    private static ExpectedProblem Malformed(string where) => new(400, "Malformed JSON", where);

    private static ExpectedProblem Unbound(string parameter) => new(400, "Bad Request", parameter);

    private static ExpectedProblem NotYourUserId => new(403, "Not your user id");

    private static ExpectedProblem NotAnOrderId => new(400, "Malformed order id");

    private static ExpectedProblem Refused(int status, string? title = null) => new(status, title);

    /// <summary>The answer a hostile request must get: its status and problem title, and the field, JSON path or parameter it names.</summary>
    private sealed record ExpectedProblem(int Status, string? Title, string? Names = null);

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

        public ExpectedProblem? Expected { get; init; }

        public Encoding Encoding => BodyEncoding ?? Encoding.UTF8;
        public (string Header, string Value)[] Headers => ExtraHeaders ?? [];
    }
}
