using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OrderSaga.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running server.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<OrderSagaDbContext>
{
    public OrderSagaDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<OrderSagaDbContext>().UseNpgsql("Host=localhost;Database=ordersaga");
        options.UseOrderSagaConventions();
        return new OrderSagaDbContext(options.Options);
    }
}
