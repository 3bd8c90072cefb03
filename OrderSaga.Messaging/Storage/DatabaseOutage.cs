using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace OrderSaga.Messaging.Storage;

/// <summary>
/// Tells a failure of PostgreSQL itself (down, restarting, unreachable, out of connections, disk or memory, too slow
/// to answer) from a failure of the work: the first says nothing about the request or the event, so it is answered
/// with 503 or waited out, never counted against the event or dead-lettered.
/// </summary>
public static class DatabaseOutage
{
    public static bool IsOutage(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // EF Core's retrying strategy gives up with this after its retries of transient failures. Npgsql counts a
            // server short of connections, disk or memory as transient; a statement past its statement_timeout is
            // not, yet it says the server is too slow to answer, whatever the statement was.
            if (current is RetryLimitExceededException
                || current is NpgsqlException { IsTransient: true }
                || current is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled })
            {
                return true;
            }
        }

        return false;
    }
}
