using System.ComponentModel.DataAnnotations;

namespace OrderSaga.DevServers.Postgres;

public sealed class PostgresOptions
{
    public const string Section = "Postgres";

    [Range(1, 65535)]
    public int Port { get; set; }

    /// <summary>Where the cluster lives; initialised on first start and reused afterwards.</summary>
    [Required]
    public string DataDirectory { get; set; } = "";

    /// <summary>Folder with initdb and postgres; found under /usr/lib/postgresql or on PATH when empty.</summary>
    public string? BinDirectory { get; set; }

    [Required]
    public string Password { get; set; } = "";

    /// <summary>The database created when missing, so clients can connect to it straight away.</summary>
    [Required]
    public string Database { get; set; } = "";

    /// <summary>PostgreSQL refuses to run as root; this account runs it when we are root.</summary>
    public string ServiceAccount { get; set; } = "postgres";
}
