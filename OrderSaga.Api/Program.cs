using OrderSaga.Api;
using OrderSaga.Api.Board;
using OrderSaga.Api.Operations;
using OrderSaga.Api.Orders;
using OrderSaga.Api.Products;
using OrderSaga.Data.Resilience;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDependencies();

var app = builder.Build();

// A request that cannot be bound (a query value that is not a number, a body of the wrong shape) is the
// caller's mistake: its 400 keeps that status. PostgreSQL down is nobody's mistake: 503, try again. No failure
// shows a stack trace or SQL outside Development.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    StatusCodeSelector = exception => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when DatabaseOutage.IsOutage(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    },
    SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
});
app.UseStatusCodePages();
app.UseSagaBoardPage();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseRequestTimeouts();

if (app.Environment.IsDevelopment())
{
    app.MapOpenApi();
    app.MapScalarApiReference();
}

app.MapDefaultEndpoints();
app.MapProductsApi();
app.MapOrdersApi();
app.MapOperationsApi();
app.MapSagaBoard();

app.Run();
