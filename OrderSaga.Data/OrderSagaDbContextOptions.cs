using Microsoft.EntityFrameworkCore;

namespace OrderSaga.Data;

public static class OrderSagaDbContextOptions
{
    /// <summary>The connection string name the AppHost gives every service for the application database.</summary>
    public const string ConnectionName = "ordersaga";

    /// <summary>Conventions every context of ours uses, at run time and at design time alike.</summary>
    public static DbContextOptionsBuilder UseOrderSagaConventions(this DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention();
}
