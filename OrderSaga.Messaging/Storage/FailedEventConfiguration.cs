using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderSaga.Messaging.Storage;

internal sealed class FailedEventConfiguration : IEntityTypeConfiguration<FailedEvent>
{
    public void Configure(EntityTypeBuilder<FailedEvent> failed)
    {
        failed.ToTable("failed_events").WithSnakeCaseColumns();
        failed.HasKey(f => new { f.Consumer, f.EventId });
        failed.Property(f => f.Consumer).HasMaxLength(64);
        failed.Property(f => f.MessageKey).HasMaxLength(128);
        failed.Property(f => f.EventType).HasMaxLength(64);
    }
}
