using OrderSaga.Messaging.Contract;

namespace OrderSaga.Operator;

public static class AsyncApiEndpoint
{
    public const string Path = "/asyncapi/v3.json";

    /// <summary>The AsyncAPI document of the saga's topics, beside the console's OpenAPI document.</summary>
    public static IEndpointRouteBuilder MapAsyncApi(this IEndpointRouteBuilder endpoints)
    {
        var document = EventSchemas.ToText(AsyncApiDocument.Create());
        endpoints.MapGet(Path, () => Results.Text(document, "application/json")).ExcludeFromDescription().AllowAnonymous();
        return endpoints;
    }
}
