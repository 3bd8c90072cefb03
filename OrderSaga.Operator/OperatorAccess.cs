using OrderSaga.Topology;

namespace OrderSaga.Operator;

/// <summary>Who may use the console: callers whose bearer token carries the admin role.</summary>
public static class OperatorAccess
{
    public const string Policy = "operator";

    public static IHostApplicationBuilder AddOperatorAccess(this IHostApplicationBuilder builder)
    {
        // Reads Authentication:Schemes:Bearer, as the api does: in Development the issuer and audiences of
        // `dotnet user-jwts` (appsettings.Development.json) and its signing key (the shared user secrets); elsewhere
        // an Authority.
        builder.Services.AddAuthentication().AddJwtBearer();
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.RequireRole(AccessRoles.Admin));
        return builder;
    }
}
