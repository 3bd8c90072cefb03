using System.Text;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderSaga.Data;
using OrderSaga.Data.Entities;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Messaging.Storage;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>
/// The event processor against the real database and broker: a poison event in the middle of a batch costs the
/// batch its single transaction, but every other event still takes effect exactly once, and the poison one is
/// dead-lettered.
/// </summary>
[Collection(SagaAppCollection.Name)]
public sealed class EventProcessorTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private const string Poison = "poison";

    [Fact]
    public async Task A_poison_event_in_a_batch_is_dead_lettered_and_the_others_take_effect_once()
    {
        var group = $"test-processor-{Guid.NewGuid():N}";
        var events = new[] { "first", Poison, "last" }
            .Select(reason => EventEnvelope.Create(Guid.NewGuid(), new PaymentFailed(reason), TimeProvider.System))
            .ToList();
        await using var services = await ServicesAsync(group);

        await services.GetRequiredService<EventProcessor>().ProcessAsync([.. events.Select((envelope, index) => Message(envelope, offset: index))], CancellationToken.None);

        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM products WHERE id = @p0", MarkerOf(events[0].EventId)));
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM products WHERE id = @p0", MarkerOf(events[2].EventId)));
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM products WHERE id = @p0", MarkerOf(events[1].EventId)));
        Assert.Equal(2, await Database.CountAsync("SELECT count(*) FROM processed_events WHERE consumer = @p0", group));
        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));
        var parked = broker.ReadUntil(Topics.DeadLetters, read => read.Any(r => SagaBroker.Header(r, MessageHeaders.DeadLetterConsumerGroup) == group));
        var deadLetter = Assert.Single(parked, r => SagaBroker.Header(r, MessageHeaders.DeadLetterConsumerGroup) == group);
        Assert.Equal(events[1].OrderId.ToString(), deadLetter.Message.Key);
        Assert.Equal(nameof(DeadLetterReason.HandlerFailed), SagaBroker.Header(deadLetter, MessageHeaders.DeadLetterReason));
    }

    [Fact]
    public async Task A_preloading_handler_loads_once_per_batch_the_orders_of_the_events_that_will_run()
    {
        var group = $"test-processor-{Guid.NewGuid():N}";
        var events = Enumerable.Range(0, 3)
            .Select(_ => EventEnvelope.Create(Guid.NewGuid(), new PaymentFailed("preloaded"), TimeProvider.System))
            .ToList();
        await using var services = await ServicesAsync(group, handlers => handlers.AddEventHandler<PreloadingMarkingHandler>(group));
        var processor = services.GetRequiredService<EventProcessor>();
        await processor.ProcessAsync([Message(events[0], offset: 0)], CancellationToken.None);
        var preloads = services.GetRequiredService<PreloadLog>();
        preloads.Calls.Clear();

        // The first event comes again with two new ones: it was claimed before, so only the others run.
        await processor.ProcessAsync([.. events.Select((envelope, index) => Message(envelope, offset: index))], CancellationToken.None);

        var call = Assert.Single(preloads.Calls);
        Assert.Equal(new[] { events[1].OrderId, events[2].OrderId }.Order(), call.Order());
        foreach (var envelope in events)
        {
            Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM products WHERE id = @p0", MarkerOf(envelope.EventId)));
        }
    }

    [Fact]
    public async Task An_event_its_role_handled_is_not_applied_again_by_a_renamed_handler()
    {
        var role = $"test-processor-{Guid.NewGuid():N}";
        var handled = EventEnvelope.Create(Guid.NewGuid(), new PaymentFailed("handled before the rename"), TimeProvider.System);
        await using (var before = await ServicesAsync(role))
        {
            await before.GetRequiredService<EventProcessor>().ProcessAsync([Message(handled, offset: 0)], CancellationToken.None);
        }

        // The next release calls the same step by another name, and the broker delivers the event once more.
        await using var after = await ServicesAsync(role, handlers => handlers.AddEventHandler<PreloadingMarkingHandler>(role));
        await after.GetRequiredService<EventProcessor>().ProcessAsync([Message(handled, offset: 0)], CancellationToken.None);

        Assert.Empty(after.GetRequiredService<PreloadLog>().Calls);
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM processed_events WHERE event_id = @p0", handled.EventId));
    }

    [Fact]
    public async Task A_batch_of_failing_events_spends_its_quick_retry_budget_and_defers_the_rest_at_their_first_failure()
    {
        const int Count = 150;
        var group = $"test-processor-{Guid.NewGuid():N}";
        var events = Enumerable.Range(0, Count).Select(_ => EventEnvelope.Create(Guid.NewGuid(), new PaymentFailed(Poison), TimeProvider.System)).ToList();
        // Five quick attempts would hold each event for 1.35 s, the batch for over three minutes.
        var consumer = new ConsumerOptions
        {
            GroupId = group, Role = group, MaxAttempts = 5, InitialBackoff = TimeSpan.FromMilliseconds(150), MaxBackoff = TimeSpan.FromMilliseconds(600),
            QuickRetryBudget = TimeSpan.FromSeconds(2), RetrySchedule = [TimeSpan.FromMinutes(10)],
        };
        await using var services = await ServicesAsync(group, handlers => handlers.AddEventHandler<CountingFailingHandler>(group), consumer);

        await services.GetRequiredService<EventProcessor>().ProcessAsync([.. events.Select((envelope, index) => Message(envelope, offset: index))], CancellationToken.None);

        // Once the budget is spent, each event is tried once more (alone) and handed to the retry schedule.
        var attempts = services.GetRequiredService<AttemptLog>().Count;
        Assert.True(attempts < 2 * Count, $"{attempts} attempts at {Count} failing events");
        Assert.Equal(Count, await Database.CountAsync("SELECT count(*) FROM deferred_events WHERE consumer = @p0 AND round = 1", group));
    }

    [Fact]
    public async Task An_event_redelivered_while_it_waits_in_a_later_retry_round_keeps_its_round()
    {
        var group = $"test-processor-{Guid.NewGuid():N}";
        var poison = EventEnvelope.Create(Guid.NewGuid(), new PaymentFailed(Poison), TimeProvider.System);
        await Database.ExecuteAsync("""
            INSERT INTO deferred_events (consumer, event_id, message_key, event_type, envelope, round, due_at, last_error)
            VALUES (@p0, @p1, @p2, 'PaymentFailed', @p3::jsonb, 2, now() + interval '10 minutes', 'failed twice')
            """, group, poison.EventId, poison.OrderId.ToString(), poison.ToJson());
        var consumer = new ConsumerOptions { GroupId = group, Role = group, MaxAttempts = 1, RetrySchedule = [TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)] };
        await using var services = await ServicesAsync(group, consumer: consumer);

        // The broker hands the original over again (a consumer evicted before it stored its offset).
        await services.GetRequiredService<EventProcessor>().ProcessAsync([Message(poison, offset: 0)], CancellationToken.None);

        Assert.Equal(2, await Database.CountAsync("SELECT round FROM deferred_events WHERE consumer = @p0 AND event_id = @p1", group, poison.EventId));
    }

    private static string MarkerOf(Guid eventId) => $"ep-{eventId:N}"[..20];

    private static ConsumeResult<string, byte[]> Message(EventEnvelope envelope, int offset) => new()
    {
        Topic = Topics.OrderEvents,
        Partition = new Partition(0),
        Offset = new Offset(offset),
        Message = new Message<string, byte[]> { Key = envelope.OrderId.ToString(), Value = Encoding.UTF8.GetBytes(envelope.ToJson()), Headers = [] },
    };

    /// <summary>A consumer's services, with the real database and broker and a handler of the test's own.</summary>
    private async Task<ServiceProvider> ServicesAsync(string group, Action<IServiceCollection>? handlers = null, ConsumerOptions? consumer = null)
    {
        var database = await Fixture.ConnectionStringAsync(ResourceNames.Database);
        var kafka = await Fixture.ConnectionStringAsync(ResourceNames.Kafka);
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(SagaTopics.WithPrefix(null))
            .AddSingleton<SagaMetrics>()
            .AddSingleton<OutboxSignal>()
            .AddScoped<SagaUnitOfWork>()
            .AddSingleton<DeadLetterPublisher>()
            .AddSingleton<FailedEvents>()
            .AddSingleton<DeferredRetries>()
            .AddSingleton(provider => ActivatorUtilities.CreateInstance<EventProcessor>(provider, provider.GetKeyedServices<EventHandlerBinding>(group)))
            .AddSingleton(Options.Create(new KafkaClientOptions { BootstrapServers = kafka }))
            .AddSingleton<KafkaClientFactory>()
            .AddSingleton<SagaProducer>()
            .AddSingleton(Options.Create(consumer ?? new ConsumerOptions { GroupId = group, Role = group, MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(10), RetrySchedule = [] }));
        services.AddDbContext<OrderSagaDbContext>(options => options.UseNpgsql(database).UseOrderSagaConventions());
        services.AddMessageStore<OrderSagaDbContext>();
        services.AddSingleton<PreloadLog>();
        services.AddSingleton<AttemptLog>();
        if (handlers is null)
        {
            services.AddEventHandler<MarkingHandler>(group);
        }
        else
        {
            handlers(services);
        }

        return services.BuildServiceProvider();
    }

    /// <summary>Leaves a product row named after the event as its effect; fails for the poison event.</summary>
    private sealed class MarkingHandler(OrderSagaDbContext db) : IEventHandler<PaymentFailed>
    {
        public Task HandleAsync(SagaEvent<PaymentFailed> @event, CancellationToken cancellationToken)
        {
            if (@event.Payload.Reason == Poison)
            {
                throw new InvalidOperationException("this event can never be handled");
            }

            db.Products.Add(new Product { Id = MarkerOf(@event.EventId), Name = "event processor test", Price = 1m, Stock = 0 });
            return Task.CompletedTask;
        }
    }

    private sealed class AttemptLog
    {
        private int _count;

        public int Count => _count;

        public void Add() => Interlocked.Increment(ref _count);
    }

    /// <summary>Fails every event, counting the attempts.</summary>
    private sealed class CountingFailingHandler(AttemptLog attempts) : IEventHandler<PaymentFailed>
    {
        public Task HandleAsync(SagaEvent<PaymentFailed> @event, CancellationToken cancellationToken)
        {
            attempts.Add();
            throw new InvalidOperationException("this event can never be handled");
        }
    }

    private sealed class PreloadLog
    {
        public List<IReadOnlyCollection<Guid>> Calls { get; } = [];
    }

    /// <summary>Records what it is asked to preload; its steps leave a product row each, saved with the batch.</summary>
    private sealed class PreloadingMarkingHandler(OrderSagaDbContext db, PreloadLog log) : IEventHandler<PaymentFailed>, IPreloadingEventHandler
    {
        public Task PreloadAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken)
        {
            log.Calls.Add(orderIds);
            return Task.CompletedTask;
        }

        public Task HandleAsync(SagaEvent<PaymentFailed> @event, CancellationToken cancellationToken)
        {
            db.Products.Add(new Product { Id = MarkerOf(@event.EventId), Name = "preloading test", Price = 1m, Stock = 0 });
            return Task.CompletedTask;
        }
    }
}
