using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace OrderSaga.Messaging.Storage;

/// <summary>
/// Tells a failure of PostgreSQL itself (down, restarting, unreachable, out of connections) from a failure of the
/// work: the first says nothing about the request or the event, so it is answered with 503 or waited out, never
/// counted against the event or dead-lettered.
/// </summary>
public static class DatabaseOutage
{
    public static bool IsOutage(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // EF Core's retrying strategy gives up with this after its retries of transient failures.
            if (current is RetryLimitExceededException || current is NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
