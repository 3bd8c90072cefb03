using System.Text.Json;
using OrderSaga.Messaging.DeadLetters;
using OrderSaga.Messaging.Events;
using OrderSaga.Topology;

namespace OrderSaga.Operator.Board;

/// <summary>The SSE event names the board page listens for.</summary>
public static class BoardEventNames
{
    public const string Hello = "hello";
    public const string Envelope = "envelope";
    public const string DeadLetter = "dead-letter";
    public const string Statistics = "statistics";
}

/// <summary>What a viewer gets first: where the dashboard is, the latest orders and dead letters, and the counters.</summary>
public sealed record BoardHello(string? DashboardUrl, IReadOnlyList<BoardOrder> Orders, IReadOnlyList<DeadLetter> DeadLetters, BoardStatistics Statistics);

/// <summary>An order as the board draws it, with the time of each step its audit trail records.</summary>
public sealed record BoardOrder(Guid OrderId, string UserId, string Status, string? CancelReason, DateTimeOffset CreatedAt, IReadOnlyList<BoardStep> Steps)
{
    /// <summary>How far along its lifecycle the order is (<see cref="OrderStatus.Rank"/>): the page moves it only to a higher rank.</summary>
    public int StatusRank => OrderStatus.Rank(Status);
}

public sealed record BoardStep(string Type, DateTimeOffset OccurredAt);

/// <summary>One message of <c>order-events</c> as it arrived: its coordinates, type, order, trace and the raw JSON.</summary>
/// <param name="Leads">The status the event moves its order to, by <see cref="OrderStatusMachine"/>; null when it moves none.</param>
public sealed record BoardEnvelope(int Partition, long Offset, string Type, string? OrderId, DateTimeOffset? OccurredAt, string? TraceId, JsonElement? Json, string? Text, BoardStatus? Leads = null);

/// <summary>A status as the page shows it, with its rank in the lifecycle (<see cref="OrderStatus.Rank"/>).</summary>
public sealed record BoardStatus(string Status, string? CancelReason, int Rank)
{
    public static BoardStatus? After(string eventType) =>
        OrderStatusMachine.After(eventType) is { } state ? new(state.Status, state.CancelReason, OrderStatus.Rank(state.Status)) : null;
}

public sealed record BoardStatistics(
    IReadOnlyDictionary<string, long> Outcomes,
    long InFlight,
    long Stuck,
    long DeadLetters,
    long SampledOut,
    IReadOnlyList<BoardStock> Stock);

public sealed record BoardStock(string ProductId, string Name, int Stock);
