using System.ComponentModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderSaga.AppHost.Security;
using OrderSaga.Topology;

namespace OrderSaga.AppHost;

/// <summary>Links the operator console's live saga board from the dashboard, and the board's orders to their traces in the dashboard.</summary>
public static class SagaBoardLink
{
    /// <summary>The operator the Development link signs in as.</summary>
    public const string Operator = "board-operator";

    /// <summary>
    /// Adds a "Saga board" link to the operator console. In Development the link carries an admin token from
    /// <c>dotnet user-jwts</c> (in its fragment, which browsers never send to a server), so one click opens a live
    /// board; issuing it before anything starts also creates the signing key the services read.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSagaBoard(this IResourceBuilder<ProjectResource> console, IDistributedApplicationBuilder builder)
    {
        if (builder.Configuration["ASPNETCORE_URLS"]?.Split(';')[0] is { Length: > 0 } dashboard)
        {
            console.WithSetting("Board:DashboardUrl", dashboard);
        }

        string? token = null;
        if (builder.Environment.IsDevelopment())
        {
            builder.Eventing.Subscribe<BeforeStartEvent>(async (@event, _) =>
            {
                try
                {
                    token = await DevelopmentTokens.ForApi().CreateAsync("--name", Operator, "--role", AccessRoles.Admin);
                }
                catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
                {
                    @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrderSaga.AppHost")
                        .LogWarning(ex, "No operator token for the saga board link; the board will ask for one");
                }
            });
        }

        return console.WithUrls(context =>
        {
            if (context.Urls.FirstOrDefault(url => url.Endpoint?.EndpointName == "http") is { } http)
            {
                context.Urls.Add(new ResourceUrlAnnotation
                {
                    Url = http.Url.TrimEnd('/') + ServiceEndpoints.BoardPage + (token is null ? "" : $"#token={token}"),
                    DisplayText = "Saga board",
                    Endpoint = http.Endpoint,
                });
            }
        });
    }
}
