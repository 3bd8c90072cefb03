namespace OrderSaga.Topology;

/// <summary>The roles a bearer token may carry.</summary>
public static class AccessRoles
{
    /// <summary>Operators: the board, the dead letters, stuck orders, and every order.</summary>
    public const string Admin = "admin";
}
