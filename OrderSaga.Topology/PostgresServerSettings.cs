namespace OrderSaga.Topology;

/// <summary>How every PostgreSQL the AppHost starts (container or local process) runs, whatever the mode.</summary>
public static class PostgresServerSettings
{
    /// <summary>
    /// Server options on the command line. <c>pg_stat_statements</c> counts the statements each part runs, so the
    /// benchmark's statements per order read the same in both modes; an operator reads them on the dashboard's
    /// database too.
    /// </summary>
    public static readonly IReadOnlyList<string> Arguments = ["-c", "shared_preload_libraries=pg_stat_statements"];
}
