using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace OrderSaga.Data;

public static class OrderSagaDbContextOptions
{
    /// <summary>The connection string name the AppHost gives every service for the application database.</summary>
    public const string ConnectionName = "ordersaga";

    /// <summary>The application database with Aspire's health check, retries, tracing and metrics.</summary>
    public static IHostApplicationBuilder AddOrderSagaDatabase(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<OrderSagaDbContext>(ConnectionName, configureDbContextOptions: options => options.UseOrderSagaConventions());
        return builder;
    }

    /// <summary>Conventions every context of ours uses, at run time and at design time alike.</summary>
    public static DbContextOptionsBuilder UseOrderSagaConventions(this DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention();
}
