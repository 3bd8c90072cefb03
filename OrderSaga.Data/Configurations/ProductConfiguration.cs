using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderSaga.Data.Entities;

namespace OrderSaga.Data.Configurations;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> product)
    {
        product.ToTable("products", table => table.HasCheckConstraint("ck_products_stock_not_negative", "stock >= 0"));
        product.Property(p => p.Id).HasMaxLength(64);
        product.Property(p => p.Name).HasMaxLength(200);
        product.Property(p => p.Price).HasPrecision(12, 2);
        product.HasData(DemoCatalog.Products);
    }
}
