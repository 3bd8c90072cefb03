using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderSaga.Messaging.Storage;

internal sealed class ProcessedEventConfiguration : IEntityTypeConfiguration<ProcessedEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedEvent> processed)
    {
        processed.ToTable("processed_events").WithSnakeCaseColumns();
        processed.HasKey(p => new { p.Consumer, p.EventId });
        processed.Property(p => p.Consumer).HasMaxLength(64);
    }
}
