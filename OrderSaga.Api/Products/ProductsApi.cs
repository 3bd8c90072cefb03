using Microsoft.EntityFrameworkCore;
using OrderSaga.Data;

namespace OrderSaga.Api.Products;

public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/products").WithTags("Products");
        products.MapGet("/", ListProductsAsync).WithName("ListProducts").WithSummary("The catalogue with current stock");
        return app;
    }

    public static async Task<IResult> ListProductsAsync(OrderSagaDbContext db, CancellationToken cancellationToken)
    {
        var products = await db.Products.AsNoTracking()
            .OrderBy(p => p.Id)
            .Select(p => new ProductResponse(p.Id, p.Name, p.Price, p.Stock))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(products);
    }
}

public sealed record ProductResponse(string Id, string Name, decimal Price, int Stock);
