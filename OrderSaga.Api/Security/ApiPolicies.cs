namespace OrderSaga.Api.Security;

/// <summary>Names of the API's policies.</summary>
public static class ApiPolicies
{
    /// <summary>The per-user limit on placing orders.</summary>
    public const string OrderPlacement = "order-placement";
}
