using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using OrderSaga.Messaging.DeadLetters;
using OrderSaga.Messaging.Events;
using OrderSaga.Messaging.Kafka;
using OrderSaga.Topology;

namespace OrderSaga.Operator.Board;

/// <summary>
/// Feeds the live board: while anyone watches, it tails <c>order-events</c> and <c>order-events.dlq</c> from their
/// ends and reads the counters once a <see cref="BoardOptions.StatisticsInterval"/>, and hands both to every viewer.
/// Nobody watching costs nothing. Beyond <see cref="BoardOptions.MaxEventsPerSecond"/> envelopes are counted
/// instead of sent, and a viewer that reads slowly loses its oldest messages: the saga never waits for the board.
/// </summary>
public sealed class SagaBoardFeed(
    KafkaClientFactory clients,
    SagaTopics topics,
    IServiceScopeFactory scopes,
    DeadLetterArchive deadLetters,
    IOptions<BoardOptions> options,
    TimeProvider time,
    ILogger<SagaBoardFeed> logger) : BackgroundService
{
    private const int RecentOrders = 30;
    private const int RecentDeadLetters = 10;
    private const int MaxTextLength = 4_096;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Guid, Channel<SseItem<object>>> _viewers = new();
    private readonly SemaphoreSlim _watched = new(0);
    private volatile TaskCompletionSource _tailing = NewSignal();
    private long _deadLetterCount;
    private long _sampledOut;
    private long _windowStart;
    private int _windowCount;

    /// <summary>The board's stream for one viewer: a hello with the current picture, then every update, until the viewer leaves.</summary>
    public async IAsyncEnumerable<SseItem<object>> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var viewer = Channel.CreateBounded<SseItem<object>>(new BoundedChannelOptions(options.Value.ViewerBuffer)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var id = Guid.NewGuid();
        _viewers[id] = viewer;
        _watched.Release();
        try
        {
            // Everything published after the hello reaches this viewer: the tail is positioned before it is sent.
            await _tailing.Task.WaitAsync(ReadyTimeout, time, cancellationToken);
            yield return new SseItem<object>(await HelloAsync(cancellationToken), BoardEventNames.Hello);
            await foreach (var item in viewer.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            _viewers.TryRemove(id, out _);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Task.Run(() => TailWhileWatchedAsync(stoppingToken), stoppingToken), CountWhileWatchedAsync(stoppingToken));

    private async Task TailWhileWatchedAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _watched.WaitAsync(stoppingToken);
            if (_viewers.IsEmpty)
            {
                continue;
            }

            try
            {
                Tail(stoppingToken);
            }
            catch (KafkaException ex)
            {
                logger.LogWarning(ex, "The board could not read {Topic}; retrying", topics.OrderEvents);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                _watched.Release();
            }
        }
    }

    /// <summary>Reads both topics from their current ends until the last viewer leaves.</summary>
    private void Tail(CancellationToken stoppingToken)
    {
        using var consumer = clients.CreateReader();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(TimeSpan.FromSeconds(5)).Topics
            .Where(topic => topics.All.Contains(topic.Topic))
            .SelectMany(topic => topic.Partitions.Select(partition => new TopicPartition(topic.Topic, partition.PartitionId)))
            .ToList();
        // Concrete offsets rather than "the end", so the position is fixed before any viewer is told it is live.
        var ends = partitions.ToDictionary(partition => partition, partition => consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)));
        consumer.Assign(ends.Select(end => new TopicPartitionOffset(end.Key, end.Value.High)));
        UpdateDeadLetterCount(ends);
        _tailing.TrySetResult();
        logger.LogInformation("The board is tailing {Topic} and {DeadLetterTopic}", topics.OrderEvents, topics.DeadLetters);
        try
        {
            while (!stoppingToken.IsCancellationRequested && StillWatched())
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(250)) is not { Message: not null } result)
                {
                    continue;
                }

                if (result.Topic == topics.DeadLetters)
                {
                    Interlocked.Increment(ref _deadLetterCount);
                    Broadcast(new SseItem<object>(DeadLetter.From(result, MaxTextLength), BoardEventNames.DeadLetter));
                }
                else if (WithinBudget())
                {
                    Broadcast(new SseItem<object>(ToEnvelope(result), BoardEventNames.Envelope));
                }
                else
                {
                    Interlocked.Increment(ref _sampledOut);
                }
            }
        }
        finally
        {
            _tailing = NewSignal();
            consumer.Close();
        }
    }

    /// <summary>
    /// Whether to go on tailing. A viewer arriving while the tail stops waits for the next one, which is positioned
    /// afresh; one that arrived just before is noticed by the second look, and the tail goes on for it.
    /// </summary>
    private bool StillWatched()
    {
        if (!_viewers.IsEmpty)
        {
            return true;
        }

        _tailing = NewSignal();
        if (_viewers.IsEmpty)
        {
            return false;
        }

        _tailing.TrySetResult();
        return true;
    }

    private async Task CountWhileWatchedAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StatisticsInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (_viewers.IsEmpty)
            {
                continue;
            }

            try
            {
                Broadcast(new SseItem<object>(await StatisticsAsync(stoppingToken), BoardEventNames.Statistics));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "The board could not read its counters");
            }
        }
    }

    private async Task<BoardHello> HelloAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var queries = scope.ServiceProvider.GetRequiredService<BoardQueries>();
        return new BoardHello(
            options.Value.DashboardUrl,
            await queries.RecentOrdersAsync(RecentOrders, cancellationToken),
            await deadLetters.ListAsync(RecentDeadLetters, cancellationToken),
            await queries.StatisticsAsync(Interlocked.Read(ref _deadLetterCount), Interlocked.Read(ref _sampledOut), cancellationToken));
    }

    private async Task<BoardStatistics> StatisticsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BoardQueries>()
            .StatisticsAsync(Interlocked.Read(ref _deadLetterCount), Interlocked.Read(ref _sampledOut), cancellationToken);
    }

    private void Broadcast(SseItem<object> item)
    {
        foreach (var viewer in _viewers.Values)
        {
            viewer.Writer.TryWrite(item);
        }
    }

    /// <summary>True while this second's envelopes stay within <see cref="BoardOptions.MaxEventsPerSecond"/>.</summary>
    private bool WithinBudget()
    {
        var second = time.GetTimestamp() / time.TimestampFrequency;
        if (second != _windowStart)
        {
            _windowStart = second;
            _windowCount = 0;
        }

        return ++_windowCount <= options.Value.MaxEventsPerSecond;
    }

    private void UpdateDeadLetterCount(Dictionary<TopicPartition, WatermarkOffsets> ends) =>
        Interlocked.Exchange(ref _deadLetterCount, ends.Where(end => end.Key.Topic == topics.DeadLetters)
            .Sum(end => Math.Max(0, end.Value.High.Value - Math.Max(0, end.Value.Low.Value))));

    private static BoardEnvelope ToEnvelope(ConsumeResult<string, byte[]> result)
    {
        var traceId = KafkaTracing.TraceIdOf(result.Message.Headers);
        if (EventEnvelope.TryParse(result.Message.Value, out var envelope, out _))
        {
            return new BoardEnvelope(result.Partition.Value, result.Offset.Value, envelope.Type, envelope.OrderId.ToString(), envelope.OccurredAt, traceId,
                JsonSerializer.SerializeToElement(envelope, EventJson.Options), null, BoardStatus.After(envelope.Type));
        }

        // Not an envelope: shown as the bytes arrived, for the operator to see what broke.
        return new BoardEnvelope(result.Partition.Value, result.Offset.Value, "(not an envelope)", result.Message.Key, null, traceId, null,
            Encoding.UTF8.GetString(result.Message.Value, 0, Math.Min(result.Message.Value.Length, MaxTextLength)));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
