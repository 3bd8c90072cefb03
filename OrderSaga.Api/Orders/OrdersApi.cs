using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OrderSaga.Data;
using OrderSaga.Data.Caching;
using OrderSaga.Data.ReadModels;

namespace OrderSaga.Api.Orders;

public static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/orders").WithTags("Orders");

        orders.MapPost("/", CreateOrderAsync)
            .WithName("CreateOrder")
            .WithSummary("Places an order; the saga then reserves, charges and ships it")
            .Accepts<CreateOrderRequest>("application/json")
            .Produces<CreateOrderResponse>(StatusCodes.Status201Created)
            .Produces<CreateOrderResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        orders.MapGet("/{id}", GetOrderAsync)
            .WithName("GetOrder")
            .WithSummary("The order and its current status, from the Redis cache when it has it")
            .Produces<OrderView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        orders.MapGet("/{id}/events", GetOrderEventsAsync)
            .WithName("GetOrderEvents")
            .WithSummary("The order's audit trail, oldest first")
            .Produces<List<OrderEventResponse>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<IResult> CreateOrderAsync(
        HttpContext context,
        [FromHeader(Name = CreateOrderValidator.IdempotencyKeyHeader)] string? idempotencyKey,
        OrderPlacement placement,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await OrderRequestReader.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (CreateOrderValidator.Validate(request!, idempotencyKey) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        switch (await placement.PlaceAsync(request!, idempotencyKey, cancellationToken))
        {
            case Placement.Created created:
                return TypedResults.Created($"/orders/{created.OrderId}", new CreateOrderResponse(created.OrderId, created.Status));
            case Placement.Replayed replayed:
                context.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Ok(new CreateOrderResponse(replayed.OrderId, replayed.Status));
            case Placement.Rejected rejected:
                return TypedResults.ValidationProblem(rejected.Errors);
            case Placement.KeyReused reused:
                return TypedResults.Problem(
                    title: "Idempotency-Key already used",
                    detail: $"This {CreateOrderValidator.IdempotencyKeyHeader} placed order {reused.OrderId} with different items; use a new key for a new order.",
                    statusCode: StatusCodes.Status422UnprocessableEntity);
            default:
                throw new InvalidOperationException("Unknown placement outcome");
        }
    }

    public static async Task<IResult> GetOrderAsync(string id, OrderStatusCache cache, OrderSagaDbContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var orderId))
        {
            return MalformedId(id);
        }

        if (await cache.GetAsync(orderId) is { } cached)
        {
            return TypedResults.Ok(cached);
        }

        if (await db.FindOrderViewAsync(orderId, cancellationToken) is not { } order)
        {
            return NotFound(orderId);
        }

        await cache.AddIfAbsentAsync(order);
        return TypedResults.Ok(order);
    }

    public static async Task<IResult> GetOrderEventsAsync(string id, OrderSagaDbContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var orderId))
        {
            return MalformedId(id);
        }

        if (!await db.Orders.AnyAsync(order => order.Id == orderId, cancellationToken))
        {
            return NotFound(orderId);
        }

        var events = await db.OrderEvents.AsNoTracking()
            .Where(e => e.OrderId == orderId)
            .OrderBy(e => e.Id)
            .Select(e => new { e.EventId, e.Type, e.OccurredAt, e.RecordedAt, e.Payload })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(events.Select(e =>
            new OrderEventResponse(e.EventId, e.Type, e.OccurredAt, e.RecordedAt, JsonElement.Parse(e.Payload))).ToList());
    }

    private static ProblemHttpResult MalformedId(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed order id", detail: $"'{id}' is not an order id (a UUID).");

    private static ProblemHttpResult NotFound(Guid orderId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found", detail: $"There is no order {orderId}.");
}

public sealed record OrderEventResponse(Guid EventId, string Type, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, JsonElement Payload);
