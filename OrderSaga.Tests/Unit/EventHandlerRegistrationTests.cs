using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Tests.Unit;

/// <summary>Registration takes the event types from the handler itself, and the binding hands it typed payloads.</summary>
public sealed class EventHandlerRegistrationTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));
    private const string Role = SagaRoles.Inventory;

    [Fact]
    public void A_handler_is_bound_to_every_event_type_it_declares()
    {
        var bindings = Bindings(services => services.AddEventHandler<TwoStepHandler>(Role));

        Assert.Equal([EventTypes.OrderCreated, EventTypes.PaymentFailed], bindings.Select(binding => binding.EventType).Order());
        Assert.All(bindings, binding => Assert.Equal(typeof(TwoStepHandler), binding.HandlerType));
    }

    [Fact]
    public void A_handler_is_bound_in_its_own_role_only()
    {
        var services = new ServiceCollection().AddEventHandler<TwoStepHandler>(Role);
        using var provider = services.BuildServiceProvider();

        Assert.Empty(provider.GetKeyedServices<EventHandlerBinding>(SagaRoles.Payment));
    }

    [Fact]
    public void A_class_that_handles_no_event_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddEventHandler<object>(Role));

        Assert.Contains("IEventHandler", error.Message);
    }

    [Fact]
    public async Task The_bound_step_receives_the_typed_payload_of_its_event()
    {
        var services = new ServiceCollection().AddEventHandler<TwoStepHandler>(Role);
        using var provider = services.BuildServiceProvider();
        var envelope = EventEnvelope.Create(Guid.NewGuid(), new PaymentFailed("CARD_DECLINED"), Time);

        var step = provider.GetKeyedServices<EventHandlerBinding>(Role).Single(binding => binding.EventType == EventTypes.PaymentFailed).Bind(envelope);
        await using var scope = provider.CreateAsyncScope();
        await step(scope.ServiceProvider, CancellationToken.None);

        var handler = scope.ServiceProvider.GetRequiredService<TwoStepHandler>();
        Assert.Equal([$"PaymentFailed CARD_DECLINED for {envelope.OrderId}"], handler.Handled);
    }

    [Fact]
    public void A_payload_that_is_not_its_event_cannot_be_bound()
    {
        var binding = Bindings(services => services.AddEventHandler<TwoStepHandler>(Role)).Single(b => b.EventType == EventTypes.OrderCreated);
        var envelope = new EventEnvelope(Guid.NewGuid(), EventTypes.OrderCreated, Guid.NewGuid(), Time.GetUtcNow(), JsonSerializer.SerializeToElement(new { total = "lots" }));

        Assert.ThrowsAny<JsonException>(() => binding.Bind(envelope));
    }

    private static List<EventHandlerBinding> Bindings(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        using var provider = services.BuildServiceProvider();
        return [.. provider.GetKeyedServices<EventHandlerBinding>(Role)];
    }

    private sealed class TwoStepHandler : IEventHandler<OrderCreated>, IEventHandler<PaymentFailed>
    {
        public List<string> Handled { get; } = [];

        public Task HandleAsync(SagaEvent<OrderCreated> @event, CancellationToken cancellationToken)
        {
            Handled.Add($"OrderCreated {@event.Payload.Total} for {@event.OrderId}");
            return Task.CompletedTask;
        }

        public Task HandleAsync(SagaEvent<PaymentFailed> @event, CancellationToken cancellationToken)
        {
            Handled.Add($"PaymentFailed {@event.Payload.Reason} for {@event.OrderId}");
            return Task.CompletedTask;
        }
    }
}
