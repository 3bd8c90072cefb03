using OrderSaga.Messaging.Storage;
using OrderSaga.Operator;
using OrderSaga.Operator.Board;
using OrderSaga.Operator.CustomerApi;
using OrderSaga.Operator.Operations;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOperatorDependencies();

var app = builder.Build();

app.UseHttpConventions(DatabaseOutage.IsOutage);
app.UseSagaBoardPage();
app.UseAuthentication();
app.UseAuthorization();

if (app.Environment.IsDevelopment())
{
    app.MapOpenApi();
    app.MapScalarApiReference();
    app.MapAsyncApi();
}

app.MapDefaultEndpoints();
var operators = app.MapGroup("/operator").WithTags("Operator").RequireAuthorization(OperatorAccess.Policy);
operators.MapOperationsApi();
operators.MapSagaBoard();
operators.MapCustomerApiEndpoints();

app.Run();
