using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Npgsql;

namespace OrderSaga.Data;

/// <summary>
/// The most connections one process holds to PostgreSQL (<c>Database:Pool:MaxSize</c>; Npgsql's own default is 100).
/// Every replica has a pool of its own, so processes × this must stay below the server's <c>max_connections</c>.
/// </summary>
public sealed class DatabasePoolOptions
{
    public const string Section = "Database:Pool";

    [Range(1, 1000)]
    public int MaxSize { get; set; } = 20;

    /// <summary>The connection string with this bound, unless it states a maximum pool size of its own.</summary>
    public string Bound(string connectionString)
    {
        var stated = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant() is "maximumpoolsize" or "maxpoolsize");
        return stated ? connectionString : new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = MaxSize }.ConnectionString;
    }
}
