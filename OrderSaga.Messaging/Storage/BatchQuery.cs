using Npgsql;

namespace OrderSaga.Messaging.Storage;

/// <summary>
/// A statement that can travel in another's round trip (an <see cref="NpgsqlBatch"/>), with what to do with its
/// result. A command belongs to one batch only, so a query is made anew for every attempt of a transaction.
/// </summary>
public sealed record BatchQuery(NpgsqlBatchCommand Command, Func<NpgsqlDataReader, CancellationToken, Task> ReadAsync)
{
    /// <summary>A statement whose result is not read (a lock taken, rows it returns ignored).</summary>
    public static BatchQuery Ignoring(NpgsqlBatchCommand command) => new(command, (_, _) => Task.CompletedTask);
}
