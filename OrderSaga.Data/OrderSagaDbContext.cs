using Microsoft.EntityFrameworkCore;
using OrderSaga.Data.Entities;
using OrderSaga.Messaging.Storage;

namespace OrderSaga.Data;

public sealed class OrderSagaDbContext(DbContextOptions<OrderSagaDbContext> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderItem> OrderItems => Set<OrderItem>();
    public DbSet<OrderEvent> OrderEvents => Set<OrderEvent>();
    public DbSet<StockReservation> StockReservations => Set<StockReservation>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Shipment> Shipments => Set<Shipment>();

    /// <summary>Orders, stock, payments and shipments are ours; the outbox, claims and deferred events are messaging's, in the same database so they commit with our changes.</summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OrderSagaDbContext).Assembly).MapSagaMessaging();
}
