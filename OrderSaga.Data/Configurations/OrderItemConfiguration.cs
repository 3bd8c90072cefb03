using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderSaga.Data.Entities;

namespace OrderSaga.Data.Configurations;

internal sealed class OrderItemConfiguration : IEntityTypeConfiguration<OrderItem>
{
    public void Configure(EntityTypeBuilder<OrderItem> item)
    {
        item.ToTable("order_items", table => table.HasCheckConstraint("ck_order_items_qty_positive", "qty > 0"));
        item.HasKey(i => new { i.OrderId, i.ProductId });
        item.Property(i => i.ProductId).HasMaxLength(64);
        item.Property(i => i.UnitPrice).HasPrecision(12, 2);
        item.HasOne<Product>().WithMany().HasForeignKey(i => i.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}
