using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderSaga.Messaging.Storage;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> message)
    {
        message.ToTable("outbox_messages").WithSnakeCaseColumns();
        message.HasIndex(m => m.EventId).IsUnique();
        // The relay only ever looks for what is still pending, in the order it was written.
        message.HasIndex(m => m.Id).HasDatabaseName("ix_outbox_messages_pending").HasFilter("sent_at IS NULL AND set_aside_at IS NULL");
        // The reconciler finds an order's latest event.
        message.HasIndex(m => new { m.MessageKey, m.Id });
        message.Property(m => m.Topic).HasMaxLength(249);
        message.Property(m => m.MessageKey).HasMaxLength(128);
        message.Property(m => m.EventType).HasMaxLength(64);
        message.Property(m => m.Envelope).HasColumnType("jsonb");
        message.Property(m => m.TraceParent).HasMaxLength(64);
        message.Property(m => m.LastError).HasMaxLength(1024);
    }
}
