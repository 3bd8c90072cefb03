using Microsoft.Net.Http.Headers;

namespace OrderSaga.Operator.CustomerApi;

/// <summary>What the board's page asks of the customer api, passed on with the operator's token.</summary>
public static class CustomerApiEndpoints
{
    public static IHostApplicationBuilder AddCustomerApiClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpClient<CustomerApiClient>(http => http.BaseAddress = CustomerApiClient.Address);
        return builder;
    }

    /// <summary>The endpoints, under the operator group (<c>/operator/orders/{id}/events</c>, <c>/operator/demo-orders</c>).</summary>
    public static IEndpointRouteBuilder MapCustomerApiEndpoints(this IEndpointRouteBuilder operators)
    {
        operators.MapGet("/orders/{id:guid}/events", (Guid id, HttpRequest request, CustomerApiClient api, CancellationToken cancellationToken) =>
                api.OrderEventsAsync(id, request.Headers[HeaderNames.Authorization].ToString(), cancellationToken))
            .WithName("GetOrderEventsForOperator")
            .WithSummary("An order's audit trail, from the customer api");

        operators.MapPost("/demo-orders", async (HttpRequest request, CustomerApiClient api, CancellationToken cancellationToken) =>
                TypedResults.Ok(await api.PlaceDemoOrdersAsync(request.Headers[HeaderNames.Authorization].ToString(), cancellationToken)))
            .WithName("PlaceDemoOrders")
            .WithSummary("Places four demo orders in the operator's name through the customer api, one of them out of stock");

        return operators;
    }
}
