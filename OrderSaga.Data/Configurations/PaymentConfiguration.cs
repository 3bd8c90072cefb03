using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderSaga.Data.Entities;

namespace OrderSaga.Data.Configurations;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.ToTable("payments");
        // One charge per order, whatever happens upstream.
        payment.HasIndex(p => p.OrderId).IsUnique();
        payment.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Restrict);
        payment.Property(p => p.Amount).HasPrecision(12, 2);
        payment.Property(p => p.Status).HasMaxLength(16);
        payment.Property(p => p.DeclineReason).HasMaxLength(64);
    }
}
