using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrderSaga.Messaging.Storage;
using OrderSaga.Topology;

namespace OrderSaga.Data;

public static class OrderSagaDbContextOptions
{
    /// <summary>The name Aspire registers the database's health check under: the context's type name.</summary>
    public const string HealthCheckName = nameof(OrderSagaDbContext);

    /// <summary>
    /// The application database with Aspire's health check, tracing and metrics, retries as
    /// <see cref="DatabaseRetryOptions"/> say and a pool as big as <see cref="DatabasePoolOptions"/> allows.
    /// </summary>
    public static IHostApplicationBuilder AddOrderSagaDatabase(this IHostApplicationBuilder builder)
    {
        var retry = builder.Configuration.GetSection(DatabaseRetryOptions.Section).Get<DatabaseRetryOptions>() ?? new DatabaseRetryOptions();
        var pool = builder.Configuration.GetSection(DatabasePoolOptions.Section).Get<DatabasePoolOptions>() ?? new DatabasePoolOptions();
        builder.AddNpgsqlDbContext<OrderSagaDbContext>(ResourceNames.Database,
            configureSettings: settings => settings.ConnectionString = settings.ConnectionString is { } connectionString ? pool.Pooled(connectionString) : null,
            configureDbContextOptions: options => options
            .UseOrderSagaConventions()
            .UseNpgsql(npgsql => npgsql.EnableRetryOnFailure(retry.MaxRetryCount, retry.MaxRetryDelay, errorCodesToAdd: null)));
        builder.Services.AddMessageStore<OrderSagaDbContext>();
        return builder;
    }

    /// <summary>Conventions every context of ours uses, at run time and at design time alike.</summary>
    public static DbContextOptionsBuilder UseOrderSagaConventions(this DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention();
}
