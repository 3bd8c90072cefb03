namespace OrderSaga.Api.Security;

/// <summary>Names of the API's authorization and rate-limiting policies and of the roles they ask for.</summary>
public static class ApiPolicies
{
    /// <summary>Operator endpoints: dead letters, stuck orders, the live board.</summary>
    public const string Operator = "operator";

    /// <summary>The role an operator's token carries: <c>dotnet user-jwts create --role admin</c>.</summary>
    public const string AdminRole = "admin";

    /// <summary>The per-user limit on placing orders.</summary>
    public const string OrderPlacement = "order-placement";
}
