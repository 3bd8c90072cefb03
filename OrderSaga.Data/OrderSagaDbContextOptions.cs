using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using OrderSaga.Topology;

namespace OrderSaga.Data;

public static class OrderSagaDbContextOptions
{
    /// <summary>The application database with Aspire's health check, retries, tracing and metrics.</summary>
    public static IHostApplicationBuilder AddOrderSagaDatabase(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<OrderSagaDbContext>(ResourceNames.Database, configureDbContextOptions: options => options.UseOrderSagaConventions());
        return builder;
    }

    /// <summary>Conventions every context of ours uses, at run time and at design time alike.</summary>
    public static DbContextOptionsBuilder UseOrderSagaConventions(this DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention();
}
