using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Topology;

namespace OrderSaga.Messaging;

public static class SagaMessagingExtensions
{
    /// <summary>Kafka clients, saga metrics and the unit of work; every saga service needs these.</summary>
    public static IHostApplicationBuilder AddSagaMessaging(this IHostApplicationBuilder builder)
    {
        builder.AddKafkaClients(ResourceNames.Kafka);
        builder.Services.AddSingleton<SagaMetrics>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddScoped<SagaUnitOfWork>();
        builder.Services.AddScoped<StuckOrderRedrive>();
        return builder;
    }

    /// <summary>The relay that publishes this service's outbox; for services that emit events.</summary>
    public static IHostApplicationBuilder AddOutboxRelay(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }

    /// <summary>A consumer of <c>order-events</c> in the group of <paramref name="role"/>, prefixed by <c>Consumer:GroupIdPrefix</c>.</summary>
    public static IHostApplicationBuilder AddSagaConsumer(this IHostApplicationBuilder builder, string role)
    {
        builder.Services.AddOptions<ConsumerOptions>()
            .BindConfiguration(ConsumerOptions.Section)
            .PostConfigure(options => (options.Role, options.GroupId) = (role, options.GroupIdPrefix + role))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DeadLetterPublisher>();
        builder.Services.AddSingleton<DeferredRetries>();
        builder.Services.AddSingleton<EventProcessor>();
        builder.Services.AddHostedService<SagaConsumer>();
        builder.Services.AddHostedService<DeferredEventRelay>();
        return builder;
    }

    /// <summary>Registers <typeparamref name="THandler"/> for every event type it implements <see cref="IEventHandler{TEvent}"/> for.</summary>
    public static IServiceCollection AddEventHandler<THandler>(this IServiceCollection services) where THandler : class
    {
        var eventTypes = typeof(THandler).GetInterfaces()
            .Where(contract => contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IEventHandler<>))
            .Select(contract => contract.GetGenericArguments()[0])
            .ToList();
        if (eventTypes.Count == 0)
        {
            throw new ArgumentException($"{typeof(THandler).Name} implements no IEventHandler<TEvent>.", nameof(THandler));
        }

        services.AddScoped<THandler>();
        foreach (var eventType in eventTypes)
        {
            var binding = typeof(EventHandlerBinding<,>).MakeGenericType(eventType, typeof(THandler));
            services.AddSingleton(typeof(EventHandlerBinding), Activator.CreateInstance(binding)!);
        }

        return services;
    }
}
