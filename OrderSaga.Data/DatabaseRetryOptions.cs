namespace OrderSaga.Data;

/// <summary>
/// How long a service retries a database command that failed transiently before it gives up on it
/// (<c>Database:Retry</c>): the api then answers 503, a consumer rewinds its partition and waits for PostgreSQL.
/// </summary>
public sealed class DatabaseRetryOptions
{
    public const string Section = "Database:Retry";

    public int MaxRetryCount { get; set; } = 6;

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
