namespace OrderSaga.Api.Security;

/// <summary>Names of the API's authorization and rate-limiting policies.</summary>
public static class ApiPolicies
{
    /// <summary>Operator endpoints: dead letters, stuck orders, the live board.</summary>
    public const string Operator = "operator";

    /// <summary>The per-user limit on placing orders.</summary>
    public const string OrderPlacement = "order-placement";
}
