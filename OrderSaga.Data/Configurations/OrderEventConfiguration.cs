using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderSaga.Data.Entities;

namespace OrderSaga.Data.Configurations;

internal sealed class OrderEventConfiguration : IEntityTypeConfiguration<OrderEvent>
{
    public void Configure(EntityTypeBuilder<OrderEvent> orderEvent)
    {
        orderEvent.ToTable("order_events");
        orderEvent.HasIndex(e => e.EventId).IsUnique();
        orderEvent.HasIndex(e => new { e.OrderId, e.Id });
        orderEvent.Property(e => e.Type).HasMaxLength(64);
        orderEvent.Property(e => e.Payload).HasColumnType("jsonb");
    }
}
