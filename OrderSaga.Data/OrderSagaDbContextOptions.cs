using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrderSaga.Messaging.Storage;
using OrderSaga.Topology;

namespace OrderSaga.Data;

public static class OrderSagaDbContextOptions
{
    /// <summary>The application database with Aspire's health check, tracing and metrics, and retries as <see cref="DatabaseRetryOptions"/> say.</summary>
    public static IHostApplicationBuilder AddOrderSagaDatabase(this IHostApplicationBuilder builder)
    {
        var retry = builder.Configuration.GetSection(DatabaseRetryOptions.Section).Get<DatabaseRetryOptions>() ?? new DatabaseRetryOptions();
        builder.AddNpgsqlDbContext<OrderSagaDbContext>(ResourceNames.Database, configureDbContextOptions: options => options
            .UseOrderSagaConventions()
            .UseNpgsql(npgsql => npgsql.EnableRetryOnFailure(retry.MaxRetryCount, retry.MaxRetryDelay, errorCodesToAdd: null)));
        builder.Services.AddMessageStore<OrderSagaDbContext>();
        return builder;
    }

    /// <summary>Conventions every context of ours uses, at run time and at design time alike.</summary>
    public static DbContextOptionsBuilder UseOrderSagaConventions(this DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention();
}
