using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderSaga.AppHost.Infrastructure;

namespace OrderSaga.AppHost;

public static class InfrastructureLogging
{
    /// <summary>Says at start-up which infrastructure mode is in force and why.</summary>
    public static void LogInfrastructureChoice(this IDistributedApplicationBuilder builder, InfrastructureChoice choice) =>
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrderSaga.AppHost")
                .LogInformation("Infrastructure mode: {Mode} ({Reason})", choice.Mode, choice.Reason);
            return Task.CompletedTask;
        });
}
