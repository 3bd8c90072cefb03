using OrderSaga.Api;
using OrderSaga.Api.Orders;
using OrderSaga.Api.Products;
using OrderSaga.Messaging.Storage;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDependencies();

var app = builder.Build();

app.UseHttpConventions(DatabaseOutage.IsOutage);
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

app.Run();
