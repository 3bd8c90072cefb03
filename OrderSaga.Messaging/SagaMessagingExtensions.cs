using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Outbox;
using OrderSaga.ServiceDefaults.Kafka;

namespace OrderSaga.Messaging;

public static class SagaMessagingExtensions
{
    public const string KafkaConnectionName = "kafka";

    /// <summary>Kafka clients, saga metrics and the unit of work; every saga service needs these.</summary>
    public static IHostApplicationBuilder AddSagaMessaging(this IHostApplicationBuilder builder)
    {
        builder.AddKafkaClients(KafkaConnectionName);
        builder.Services.AddSingleton<SagaMetrics>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddScoped<SagaUnitOfWork>();
        return builder;
    }

    /// <summary>The relay that publishes this service's outbox; for services that emit events.</summary>
    public static IHostApplicationBuilder AddOutboxRelay(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }

    /// <summary>A consumer of <c>order-events</c> in group <paramref name="defaultGroupId"/> (overridable as <c>Consumer:GroupId</c>).</summary>
    public static IHostApplicationBuilder AddSagaConsumer(this IHostApplicationBuilder builder, string defaultGroupId)
    {
        builder.Services.AddOptions<ConsumerOptions>()
            .Configure(options => options.GroupId = defaultGroupId)
            .BindConfiguration(ConsumerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DeadLetterPublisher>();
        builder.Services.AddHostedService<SagaConsumer>();
        return builder;
    }

    public static IServiceCollection AddEventHandler<THandler>(this IServiceCollection services, params string[] eventTypes)
        where THandler : class, IEventHandler
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new EventHandlerRegistration(typeof(THandler), eventTypes.ToHashSet()));
        return services;
    }
}
