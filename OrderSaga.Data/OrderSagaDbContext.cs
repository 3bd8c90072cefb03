using Microsoft.EntityFrameworkCore;
using OrderSaga.Data.Entities;

namespace OrderSaga.Data;

public sealed class OrderSagaDbContext(DbContextOptions<OrderSagaDbContext> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderItem> OrderItems => Set<OrderItem>();
    public DbSet<OrderEvent> OrderEvents => Set<OrderEvent>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();
    public DbSet<DeferredEvent> DeferredEvents => Set<DeferredEvent>();
    public DbSet<StockReservation> StockReservations => Set<StockReservation>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Shipment> Shipments => Set<Shipment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OrderSagaDbContext).Assembly);
}
