using System.Security.Claims;
using OrderSaga.Topology;

namespace OrderSaga.Api.Security;

/// <summary>Who is calling, as the bearer token says.</summary>
public static class Caller
{
    /// <summary>
    /// The user id: the token's name (what <c>dotnet user-jwts create --name</c> sets), else its subject, which is
    /// where most identity providers put it.
    /// </summary>
    public static string? UserId(this ClaimsPrincipal caller) =>
        caller.Identity?.Name ?? caller.FindFirstValue(ClaimTypes.NameIdentifier);

    public static bool IsOperator(this ClaimsPrincipal caller) => caller.IsInRole(AccessRoles.Admin);

    /// <summary>A user reads their own orders; an operator reads every order.</summary>
    public static bool MayRead(this ClaimsPrincipal caller, string orderUserId) =>
        caller.IsOperator() || string.Equals(caller.UserId(), orderUserId, StringComparison.Ordinal);
}
