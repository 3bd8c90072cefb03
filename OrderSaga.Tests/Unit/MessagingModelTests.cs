using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using OrderSaga.Data;
using OrderSaga.Messaging.Storage;

namespace OrderSaga.Tests.Unit;

/// <summary>Messaging's tables map into any DbContext with the names its own SQL uses.</summary>
public sealed class MessagingModelTests
{
    private static readonly Type[] MessagingEntities = [typeof(OutboxMessage), typeof(ProcessedEvent), typeof(DeferredEvent)];

    [Fact]
    public void A_context_with_no_naming_convention_of_its_own_gets_the_tables_and_columns_the_application_migrates()
    {
        using var plain = new PlainContext();
        using var application = ApplicationContext();

        foreach (var entity in MessagingEntities)
        {
            Assert.Equal(ColumnsOf(application, entity), ColumnsOf(plain, entity));
        }
    }

    [Fact]
    public void The_application_context_keeps_its_own_tables_and_messaging_s()
    {
        using var application = ApplicationContext();

        var tables = application.Model.GetEntityTypes().Select(entity => entity.GetTableName()).ToHashSet();

        Assert.Superset(new HashSet<string?> { "orders", "order_items", "products", "outbox_messages", "processed_events", "deferred_events", "failed_events" }, tables);
    }

    private static OrderSagaDbContext ApplicationContext() => new((DbContextOptions<OrderSagaDbContext>)new DbContextOptionsBuilder<OrderSagaDbContext>()
        .UseNpgsql("Host=unused").UseOrderSagaConventions().Options);

    private static string[] ColumnsOf(DbContext context, Type entity)
    {
        var type = context.Model.FindEntityType(entity)!;
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        return [$"table {table.Name}", .. type.GetProperties().Select(property => property.GetColumnName(table)!).Order()];
    }

    private sealed class PlainContext : DbContext
    {
        protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseNpgsql("Host=unused");

        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.MapSagaMessaging();
    }
}
