using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace OrderSaga.Workers.Provisioning;

/// <summary>
/// The services' own database role (<see cref="RoleKey"/>): whoever manages the credentials creates it and hands its
/// login to the services, while the provisioning job keeps the one that may change the schema. The job grants it what
/// the services do and nothing more: the rows of every table and sequence of the schema, no DDL (since PostgreSQL 15
/// no role may create in <c>public</c> but its owner). Granted after every migration, so a table a release adds is
/// the services' too before they start.
/// </summary>
public sealed class RuntimeRoleGrants(IConfiguration configuration, ILogger<RuntimeRoleGrants> logger)
{
    public const string RoleKey = "Database:RuntimeRole";

    public async Task GrantAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        var role = configuration[RoleKey];
        if (string.IsNullOrWhiteSpace(role))
        {
            logger.LogInformation("No {Setting}: the services log in as the provisioning job does", RoleKey);
            return;
        }

        var grantee = "\"" + role.Replace("\"", "\"\"") + "\"";
        var grants = $"""
            GRANT USAGE ON SCHEMA public TO {grantee};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {grantee};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {grantee};
            """;
        await database.ExecuteSqlRawAsync(grants, cancellationToken);
        logger.LogInformation("Granted {Role} the rows of every table, and no schema changes", role);
    }
}
