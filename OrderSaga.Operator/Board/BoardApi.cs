using OrderSaga.Topology;

namespace OrderSaga.Operator.Board;

/// <summary>
/// The live saga board: a static page at <see cref="ServiceEndpoints.BoardPage"/> (wwwroot; it holds no data, so anyone may
/// load it) and the operator-only stream it draws from.
/// </summary>
public static class BoardApi
{
    public static IHostApplicationBuilder AddSagaBoard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BoardOptions>().BindConfiguration(BoardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<BoardQueries>();
        builder.Services.AddSingleton<SagaBoardFeed>();
        builder.Services.AddGatedHostedService(services => services.GetRequiredService<SagaBoardFeed>());
        return builder;
    }

    /// <summary>
    /// Serves wwwroot under <see cref="ServiceEndpoints.BoardPage"/> only: every other request passes by on a prefix check, with
    /// no look into the file system.
    /// </summary>
    public static IApplicationBuilder UseSagaBoardPage(this IApplicationBuilder app)
    {
        var page = new PathString(ServiceEndpoints.BoardPage.TrimEnd('/'));
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = page });
        app.UseStaticFiles(new StaticFileOptions { RequestPath = page });
        return app;
    }

    /// <summary>The stream, under the operator group (<c>/operator/board/stream</c>).</summary>
    public static IEndpointRouteBuilder MapSagaBoard(this IEndpointRouteBuilder operators)
    {
        operators.MapGet("/board/stream", (SagaBoardFeed feed, CancellationToken cancellationToken) =>
                TypedResults.ServerSentEvents(feed.WatchAsync(cancellationToken)))
            .WithName("WatchSagaBoard")
            .WithSummary("Server-sent events: a hello with the latest orders, dead letters and counters, then every envelope, dead letter and counter update");

        return operators;
    }
}
