using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderSaga.Data.Entities;

namespace OrderSaga.Data.Configurations;

internal sealed class ShipmentConfiguration : IEntityTypeConfiguration<Shipment>
{
    public void Configure(EntityTypeBuilder<Shipment> shipment)
    {
        shipment.ToTable("shipments");
        shipment.HasIndex(s => s.OrderId).IsUnique();
        shipment.HasOne<Order>().WithMany().HasForeignKey(s => s.OrderId).OnDelete(DeleteBehavior.Restrict);
        shipment.HasIndex(s => s.TrackingNumber).IsUnique();
        shipment.Property(s => s.TrackingNumber).HasMaxLength(32);
    }
}
