using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace OrderSaga.Api.Orders;

/// <summary>
/// Reads the order body itself, so malformed JSON and oversized bodies get a problem-details answer that
/// says what is wrong rather than a bare status code.
/// </summary>
public static class OrderRequestReader
{
    public const long MaxBodyBytes = 64 * 1024;

    public static async Task<(CreateOrderRequest? Request, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type", detail: "Send the order as application/json."));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            var order = await request.ReadFromJsonAsync<CreateOrderRequest>(cancellationToken);
            return order is null
                ? (null, Malformed("The body must be a JSON object."))
                : (order, null);
        }
        catch (JsonException ex)
        {
            return (null, Malformed(ex.Message));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
    }

    private static IResult Malformed(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: detail);

    private static IResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
            detail: $"An order body may be at most {MaxBodyBytes / 1024} KiB.");
}
