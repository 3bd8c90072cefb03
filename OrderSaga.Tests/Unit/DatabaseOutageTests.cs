using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using OrderSaga.Messaging.Storage;

namespace OrderSaga.Tests.Unit;

public sealed class DatabaseOutageTests
{
    public static TheoryData<Exception> Outages => new()
    {
        new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)),
        new RetryLimitExceededException("Maximum number of retries exceeded", new NpgsqlException("Exception while reading from stream", new TimeoutException())),
        new InvalidOperationException("An exception was thrown while iterating", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))),
        new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown),
        new PostgresException("the database system is starting up", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow),
        new DbUpdateException("An error occurred while saving", new PostgresException("could not extend file: No space left on device", "ERROR", "ERROR", PostgresErrorCodes.DiskFull)),
        new PostgresException("out of memory", "ERROR", "ERROR", PostgresErrorCodes.OutOfMemory),
    };

    public static TheoryData<Exception> WorkFailures => new()
    {
        new PostgresException("insert or update violates foreign key constraint", "ERROR", "ERROR", PostgresErrorCodes.ForeignKeyViolation),
        new DbUpdateException("An error occurred while saving", new PostgresException("duplicate key value", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)),
        new InvalidOperationException("Sequence contains no elements"),
        new TimeoutException("Redis timed out"),
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public void PostgreSQL_down_restarting_or_unreachable_is_an_outage(Exception exception) => Assert.True(DatabaseOutage.IsOutage(exception));

    [Theory]
    [MemberData(nameof(WorkFailures))]
    public void A_failure_of_the_work_itself_is_not(Exception exception) => Assert.False(DatabaseOutage.IsOutage(exception));
}
