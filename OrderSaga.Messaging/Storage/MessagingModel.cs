using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace OrderSaga.Messaging.Storage;

/// <summary>How an application gives messaging its tables: mapped into its model, reached through its context.</summary>
public static class MessagingModel
{
    /// <summary>Maps the outbox, claims, deferred- and failed-event tables into the application's model, so its migrations create them.</summary>
    public static ModelBuilder MapSagaMessaging(this ModelBuilder modelBuilder) => modelBuilder
        .ApplyConfiguration(new OutboxMessageConfiguration())
        .ApplyConfiguration(new ProcessedEventConfiguration())
        .ApplyConfiguration(new DeferredEventConfiguration())
        .ApplyConfiguration(new FailedEventConfiguration());

    /// <summary>Makes <typeparamref name="TContext"/>, which maps the messaging tables, the one messaging works in.</summary>
    public static IServiceCollection AddMessageStore<TContext>(this IServiceCollection services) where TContext : DbContext =>
        services.AddScoped(provider => new MessageStore(provider.GetRequiredService<TContext>()));
}
