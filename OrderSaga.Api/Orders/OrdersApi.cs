using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OrderSaga.Api.Security;
using OrderSaga.Data;
using OrderSaga.Data.Caching;
using OrderSaga.Data.ReadModels;

namespace OrderSaga.Api.Orders;

public static class OrdersApi
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/orders").WithTags("Orders").RequireAuthorization();

        orders.MapPost("/", CreateOrderAsync)
            .RequireRateLimiting(ApiPolicies.OrderPlacement)
            .WithName("CreateOrder")
            .WithSummary("Places an order; the saga then reserves, charges and ships it")
            .Accepts<CreateOrderRequest>("application/json")
            .Produces<CreateOrderResponse>(StatusCodes.Status201Created)
            .Produces<CreateOrderResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        orders.MapGet("/{id}", GetOrderAsync)
            .WithName("GetOrder")
            .WithSummary("The caller's order and its current status, from the Redis cache when it has it")
            .Produces<OrderView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        orders.MapGet("/{id}/events", GetOrderEventsAsync)
            .WithName("GetOrderEvents")
            .WithSummary("The caller's order's audit trail, oldest first")
            .Produces<List<OrderEventResponse>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<IResult> CreateOrderAsync(
        HttpContext context,
        ClaimsPrincipal caller,
        [FromHeader(Name = CreateOrderValidator.IdempotencyKeyHeader)] string? idempotencyKey,
        OrderPlacement placement,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await OrderRequestReader.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        // The token says who orders; SPEC's body may still name the user, but only that same user.
        var userId = caller.UserId();
        request = request! with { UserId = request.UserId ?? userId };
        if (CreateOrderValidator.Validate(request, idempotencyKey) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!string.Equals(request.UserId, userId, StringComparison.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your user id",
                detail: "Orders are placed in the name of the signed-in user; leave user_id out or send your own.");
        }

        switch (await placement.PlaceAsync(request, idempotencyKey, cancellationToken))
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

    /// <summary>A cached order is answered with the cached bytes as they are; the database is only asked on a miss.</summary>
    public static async Task<IResult> GetOrderAsync(string id, ClaimsPrincipal caller, OrderStatusCache cache, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var orderId))
        {
            return MalformedId(id);
        }

        if (await cache.GetAsync(orderId) is { } cached)
        {
            return caller.MayRead(cached.UserId) ? TypedResults.Bytes(cached.Json, JsonContentType) : NotFound(orderId);
        }

        var db = services.GetRequiredService<OrderSagaDbContext>();
        if (await db.FindOrderViewAsync(orderId, cancellationToken) is not { } order)
        {
            return NotFound(orderId);
        }

        await cache.AddIfAbsentAsync(order);
        return caller.MayRead(order.UserId) ? TypedResults.Ok(order) : NotFound(orderId);
    }

    public static async Task<IResult> GetOrderEventsAsync(string id, ClaimsPrincipal caller, OrderSagaDbContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var orderId))
        {
            return MalformedId(id);
        }

        var owner = await db.Orders.Where(order => order.Id == orderId).Select(order => order.UserId).SingleOrDefaultAsync(cancellationToken);
        if (owner is null || !caller.MayRead(owner))
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

    // Someone else's order is as absent as an unknown one, so ids cannot be probed.
    private static ProblemHttpResult NotFound(Guid orderId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found", detail: $"There is no order {orderId}.");
}

public sealed record OrderEventResponse(Guid EventId, string Type, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, JsonElement Payload);
