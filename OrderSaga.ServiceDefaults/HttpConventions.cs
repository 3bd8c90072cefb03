using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>How every OrderSaga HTTP service speaks: snake_case JSON read strictly, and failures as problem details.</summary>
public static class HttpConventions
{
    public static IHostApplicationBuilder AddHttpConventions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // Says which value could not be read; other exceptions keep their details to the logs.
            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Detail = bad.Message;
            }

            // Whether a server is down or a request ran out of time, the same request may succeed shortly.
            if (context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable)
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
            }
        });
        // The contract speaks snake_case (order_id, user_id), like the system it re-creates.
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            // A body means one thing only: "qty":"2" is not a number, and a key given twice is not a choice.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            options.SerializerOptions.AllowDuplicateProperties = false;
        });
        return builder;
    }

    /// <summary>
    /// A request that cannot be bound (a query value that is not a number, a body of the wrong shape) is the caller's
    /// mistake: its 400 keeps that status. A server down (<paramref name="isOutage"/>) is nobody's mistake: 503, try
    /// again. No failure shows a stack trace or SQL outside Development.
    /// </summary>
    public static WebApplication UseHttpConventions(this WebApplication app, Func<Exception, bool> isOutage)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                _ when isOutage(exception) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages();
        return app;
    }
}
