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

    /// <summary>
    /// The connection string with this bound, unless it states a maximum pool size of its own; and handing
    /// connections back to the pool as they are, unless it says otherwise. Npgsql would reset each one with
    /// <c>DISCARD ALL</c>, a statement and a commit of its own every time a connection goes back (twelve per order
    /// at a light load, half the commits); the services keep no session state to reset: their settings are
    /// <c>SET LOCAL</c>, and the provisioning lock has a connection of its own, outside the pool.
    /// </summary>
    public string Pooled(string connectionString)
    {
        var stated = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant())
            .ToHashSet();
        var pooled = new NpgsqlConnectionStringBuilder(connectionString);
        if (!stated.Overlaps(["maximumpoolsize", "maxpoolsize"]))
        {
            pooled.MaxPoolSize = MaxSize;
        }

        if (!stated.Contains("noresetonclose"))
        {
            pooled.NoResetOnClose = true;
        }

        return pooled.ConnectionString;
    }
}
