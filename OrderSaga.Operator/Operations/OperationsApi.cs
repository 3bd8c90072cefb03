using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderSaga.Data;
using OrderSaga.Data.StuckOrders;
using OrderSaga.Messaging.DeadLetters;
using OrderSaga.Messaging.Outbox;
using OrderSaga.Topology;

namespace OrderSaga.Operator.Operations;

/// <summary>What an operator needs when the saga misbehaves: the dead letters, a way to send them back, and the orders that stopped moving.</summary>
public static class OperationsApi
{
    public const int MaxListed = 500;
    public const int MaxRedriven = 100;
    public const int MaxIdleSeconds = 86_400 * 30;

    /// <summary>The endpoints, under the operator group (<c>/operator/dead-letters</c>, …).</summary>
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder operations)
    {
        operations.MapGet("/dead-letters", ListDeadLettersAsync)
            .WithName("ListDeadLetters")
            .WithSummary("The latest dead letters of each partition of order-events.dlq, newest first, with their headers")
            .Produces<List<DeadLetter>>()
            .ProducesValidationProblem();

        operations.MapPost("/dead-letters/redrive", RedriveAsync)
            .WithName("RedriveDeadLetters")
            .WithSummary("Sends the chosen dead letters back to order-events, keeping their event ids")
            .Produces<List<RedriveOutcome>>()
            .ProducesValidationProblem();

        operations.MapGet("/stuck-orders", ListStuckOrdersAsync)
            .WithName("ListStuckOrders")
            .WithSummary("Orders in flight that have not moved for a while; the reconciler drives them on")
            .Produces<List<StuckOrder>>()
            .ProducesValidationProblem();

        operations.MapPost("/stuck-orders/redrive", RedriveStuckOrdersAsync)
            .WithName("RedriveStuckOrders")
            .WithSummary("Publishes again the latest event of orders in flight that have not moved for idle_seconds, now rather than at the reconciler's next round")
            .Produces<List<RedrivenOrder>>()
            .ProducesValidationProblem();

        return operations;
    }

    public static async Task<IResult> ListDeadLettersAsync(DeadLetterArchive archive, CancellationToken cancellationToken, [FromQuery(Name = "per_partition")] int perPartition = 50)
    {
        if (perPartition is < 1 or > MaxListed)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["per_partition"] = [$"per_partition must be between 1 and {MaxListed}."] });
        }

        return TypedResults.Ok(await archive.ListAsync(perPartition, cancellationToken));
    }

    public static async Task<IResult> RedriveAsync(RedriveRequest request, DeadLetterArchive archive, CancellationToken cancellationToken)
    {
        if (request.Messages is not { Count: > 0 and <= MaxRedriven } messages || messages.Any(message => message is null or { Partition: < 0 } or { Offset: < 0 }))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["messages"] = [$"messages must list 1 to {MaxRedriven} dead letters as {{\"partition\":0,\"offset\":12}}, neither negative."],
            });
        }

        return TypedResults.Ok(await archive.RedriveAsync(messages, cancellationToken));
    }

    public static async Task<IResult> ListStuckOrdersAsync(
        OrderSagaDbContext db, TimeProvider time, IOptions<StuckOrderOptions> stuckOrders, CancellationToken cancellationToken, [FromQuery(Name = "idle_seconds")] int? idleSeconds = null)
    {
        if (IdleFor(idleSeconds, stuckOrders.Value) is not { } idleFor)
        {
            return InvalidIdleSeconds;
        }

        var idleSince = time.GetUtcNow() - idleFor;
        var stuck = await db.Orders.AsNoTracking()
            .InFlight()
            .Where(order => order.UpdatedAt < idleSince)
            .OrderBy(order => order.UpdatedAt)
            .Take(MaxListed)
            .Select(order => new StuckOrder(order.Id, order.UserId, order.Status, order.CreatedAt, order.UpdatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(stuck);
    }

    public static async Task<IResult> RedriveStuckOrdersAsync(
        StuckOrderRedrive redrive, IOptions<StuckOrderOptions> stuckOrders, CancellationToken cancellationToken, [FromQuery(Name = "idle_seconds")] int? idleSeconds = null)
    {
        return IdleFor(idleSeconds, stuckOrders.Value) is { } idleFor
            ? TypedResults.Ok(await redrive.RedriveAsync(idleFor, MaxRedriven, cancellationToken))
            : InvalidIdleSeconds;
    }

    /// <summary>How long an order must have been idle: <c>idle_seconds</c>, else when orders count as stuck; null when out of range.</summary>
    private static TimeSpan? IdleFor(int? idleSeconds, StuckOrderOptions stuck) => idleSeconds switch
    {
        null => stuck.After,
        < 0 or > MaxIdleSeconds => null,
        { } seconds => TimeSpan.FromSeconds(seconds),
    };

    private static IResult InvalidIdleSeconds =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["idle_seconds"] = [$"idle_seconds must be between 0 and {MaxIdleSeconds}."] });
}

public sealed record RedriveRequest(IReadOnlyList<DeadLetterPosition>? Messages);

public sealed record StuckOrder(Guid OrderId, string UserId, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
