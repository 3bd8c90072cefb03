using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Topology;

namespace OrderSaga.Messaging;

public static class SagaMessagingExtensions
{
    /// <summary>Kafka clients, saga metrics and the unit of work; every saga service needs these, once however many roles it plays.</summary>
    public static IHostApplicationBuilder AddSagaMessaging(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(service => service.ServiceType == typeof(SagaMetrics)))
        {
            return builder;
        }

        builder.AddKafkaClients(ResourceNames.Kafka);
        builder.Services.AddSingleton<SagaMetrics>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddScoped<SagaUnitOfWork>();
        builder.Services.AddSingleton<DeadLetterPublisher>();
        builder.Services.AddSingleton<FailedEvents>();
        return builder;
    }

    /// <summary>The relay that publishes this service's outbox; for services that emit events. One serves every role of a process.</summary>
    public static IHostApplicationBuilder AddOutboxRelay(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (!builder.Services.Any(service => service.ServiceType == typeof(OutboxRelay)))
        {
            builder.Services.AddSingleton<OutboxRelay>();
            builder.Services.AddGatedHostedService(services => services.GetRequiredService<OutboxRelay>());
        }

        return builder;
    }

    /// <summary>
    /// A consumer of <c>order-events</c> in the group of <paramref name="role"/>, prefixed by <c>Consumer:GroupIdPrefix</c>.
    /// Several roles may share a process: each keeps its own options, handlers (<see cref="AddEventHandler{THandler}"/>
    /// with the same role), claims, consumer group and deferred retries, all registered under the role's name.
    /// </summary>
    public static IHostApplicationBuilder AddSagaConsumer(this IHostApplicationBuilder builder, string role)
    {
        builder.AddSagaMessaging();
        builder.Services.AddOptions<ConsumerOptions>(role)
            .BindConfiguration(ConsumerOptions.Section)
            .PostConfigure(options => (options.Role, options.GroupId) = (role, options.GroupIdPrefix + role))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddKeyedSingleton(role, (services, _) => Options.Create(services.GetRequiredService<IOptionsMonitor<ConsumerOptions>>().Get(role)));
        builder.Services.AddKeyedSingleton(role, (services, _) => ActivatorUtilities.CreateInstance<DeferredRetries>(services, OptionsOf(services, role)));
        builder.Services.AddKeyedSingleton(role, (services, _) => ActivatorUtilities.CreateInstance<EventProcessor>(services,
            OptionsOf(services, role), services.GetRequiredKeyedService<DeferredRetries>(role), services.GetKeyedServices<EventHandlerBinding>(role)));
        builder.Services.AddGatedHostedService(services => ActivatorUtilities.CreateInstance<SagaConsumer>(services,
            OptionsOf(services, role), services.GetRequiredKeyedService<EventProcessor>(role)));
        builder.Services.AddGatedHostedService(services => ActivatorUtilities.CreateInstance<DeferredEventRelay>(services, OptionsOf(services, role)));
        return builder;
    }

    /// <summary>The consumer settings of <paramref name="role"/>.</summary>
    private static IOptions<ConsumerOptions> OptionsOf(IServiceProvider services, string role) =>
        services.GetRequiredKeyedService<IOptions<ConsumerOptions>>(role);

    /// <summary>Registers <typeparamref name="THandler"/> in <paramref name="role"/> for every event type it implements <see cref="IEventHandler{TEvent}"/> for.</summary>
    public static IServiceCollection AddEventHandler<THandler>(this IServiceCollection services, string role) where THandler : class
    {
        var eventTypes = typeof(THandler).GetInterfaces()
            .Where(contract => contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IEventHandler<>))
            .Select(contract => contract.GetGenericArguments()[0])
            .ToList();
        if (eventTypes.Count == 0)
        {
            throw new ArgumentException($"{typeof(THandler).Name} implements no IEventHandler<TEvent>.", nameof(THandler));
        }

        services.TryAddScoped<THandler>();
        foreach (var eventType in eventTypes)
        {
            var binding = typeof(EventHandlerBinding<,>).MakeGenericType(eventType, typeof(THandler));
            services.AddKeyedSingleton(typeof(EventHandlerBinding), role, Activator.CreateInstance(binding)!);
        }

        return services;
    }

    /// <summary>Registers <typeparamref name="THandler"/> in <paramref name="role"/> for <paramref name="eventTypes"/>, which it takes by their envelope.</summary>
    public static IServiceCollection AddEnvelopeHandler<THandler>(this IServiceCollection services, string role, params string[] eventTypes)
        where THandler : class, IEnvelopeHandler
    {
        services.TryAddScoped<THandler>();
        foreach (var eventType in eventTypes)
        {
            services.AddKeyedSingleton<EventHandlerBinding>(role, new EnvelopeHandlerBinding<THandler>(eventType));
        }

        return services;
    }
}
