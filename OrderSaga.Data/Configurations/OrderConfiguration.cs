using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderSaga.Data.Entities;
using OrderSaga.Topology;

namespace OrderSaga.Data.Configurations;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> order)
    {
        order.ToTable("orders");
        order.Property(o => o.UserId).HasMaxLength(128);
        order.Property(o => o.Status).HasMaxLength(32);
        order.Property(o => o.CancelReason).HasMaxLength(32);
        order.Property(o => o.Total).HasPrecision(12, 2);
        order.Property(o => o.IdempotencyKey).HasMaxLength(128);
        order.HasIndex(o => new { o.UserId, o.IdempotencyKey })
            .IsUnique()
            .HasFilter("idempotency_key IS NOT NULL");
        // The reconciler looks for orders in flight that have not moved for a while; settled ones never need it.
        order.HasIndex(o => o.UpdatedAt).HasDatabaseName("ix_orders_in_flight").HasFilter(OrderStatus.InFlightSql);
        order.HasMany(o => o.Items).WithOne().HasForeignKey(i => i.OrderId);
    }
}
