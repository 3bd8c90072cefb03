namespace OrderSaga.DevServers.Postgres;

/// <summary>
/// The server status PostgreSQL keeps in <c>postmaster.pid</c>, which <c>pg_ctl</c> reads to learn when a server
/// accepts connections. Connecting to find out instead makes the server log
/// <c>FATAL: the database system is starting up</c> for each attempt made too early.
/// </summary>
/// <remarks>Compiled into the AppHost as well, whose health probe asks the same question.</remarks>
public static class PostmasterStatus
{
    private const int StatusLine = 7;

    public static async Task<bool> IsReadyAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        try
        {
            var lines = await File.ReadAllLinesAsync(Path.Combine(dataDirectory, "postmaster.pid"), cancellationToken);
            return lines.Length > StatusLine && lines[StatusLine].Trim() == "ready";
        }
        catch (IOException)
        {
            // Not written yet, or removed by a server that stopped.
            return false;
        }
    }
}
