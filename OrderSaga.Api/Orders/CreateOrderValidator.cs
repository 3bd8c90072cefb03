namespace OrderSaga.Api.Orders;

/// <summary>Checks a new order's shape before anything is read or written; product existence is checked later.</summary>
public static class CreateOrderValidator
{
    public const int MaxUserIdLength = 128;
    public const int MaxLines = 50;
    public const int MaxQty = 1000;
    public const int MaxProductIdLength = 64;
    public const int MaxIdempotencyKeyLength = 128;
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static Dictionary<string, string[]> Validate(CreateOrderRequest request, string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>();

        if (string.IsNullOrWhiteSpace(request.UserId))
        {
            errors["user_id"] = ["user_id is required."];
        }
        else if (request.UserId.Length > MaxUserIdLength)
        {
            errors["user_id"] = [$"user_id must be at most {MaxUserIdLength} characters."];
        }
        else if (HasControlCharacters(request.UserId))
        {
            errors["user_id"] = ["user_id must not contain control characters."];
        }

        if (request.Items is not { Count: > 0 })
        {
            errors["items"] = ["items must hold at least one line."];
        }
        else if (request.Items.Count > MaxLines)
        {
            errors["items"] = [$"items must hold at most {MaxLines} lines."];
        }
        else
        {
            ValidateLines(request.Items, errors);
        }

        if (idempotencyKey is not null && !IsValidIdempotencyKey(idempotencyKey))
        {
            errors[IdempotencyKeyHeader] = [$"{IdempotencyKeyHeader} must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters."];
        }

        return errors;
    }

    private static void ValidateLines(IReadOnlyList<CreateOrderLine> items, Dictionary<string, string[]> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < items.Count; index++)
        {
            var line = items[index];
            if (line is null)
            {
                errors[$"items[{index}]"] = ["a line must be an object with product_id and qty."];
                continue;
            }

            if (string.IsNullOrWhiteSpace(line.ProductId))
            {
                errors[$"items[{index}].product_id"] = ["product_id is required."];
            }
            else if (line.ProductId.Length > MaxProductIdLength)
            {
                errors[$"items[{index}].product_id"] = [$"product_id must be at most {MaxProductIdLength} characters."];
            }
            else if (HasControlCharacters(line.ProductId))
            {
                errors[$"items[{index}].product_id"] = ["product_id must not contain control characters."];
            }
            else if (!seen.Add(line.ProductId))
            {
                errors[$"items[{index}].product_id"] = [$"{line.ProductId} appears in more than one line; put the whole quantity on one line."];
            }

            if (line.Qty is < 1 or > MaxQty)
            {
                errors[$"items[{index}].qty"] = [$"qty must be between 1 and {MaxQty}."];
            }
        }
    }

    // NUL is refused by PostgreSQL text, and a bell or an escape sequence in an id only ever means harm.
    private static bool HasControlCharacters(string value) => value.Any(char.IsControl);

    private static bool IsValidIdempotencyKey(string key) =>
        key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is > ' ' and <= '~');
}
