using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderSaga.Messaging.Storage;

internal sealed class DeferredEventConfiguration : IEntityTypeConfiguration<DeferredEvent>
{
    public void Configure(EntityTypeBuilder<DeferredEvent> deferred)
    {
        deferred.ToTable("deferred_events").WithSnakeCaseColumns();
        // One pending retry per event and consumer: a later round replaces the earlier.
        deferred.HasIndex(d => new { d.Consumer, d.EventId }).IsUnique();
        deferred.HasIndex(d => new { d.Consumer, d.DueAt });
        deferred.Property(d => d.Consumer).HasMaxLength(255);
        deferred.Property(d => d.MessageKey).HasMaxLength(128);
        deferred.Property(d => d.EventType).HasMaxLength(64);
        deferred.Property(d => d.Envelope).HasColumnType("jsonb");
        deferred.Property(d => d.TraceParent).HasMaxLength(64);
        deferred.Property(d => d.LastError).HasMaxLength(1024);
    }
}
