using Microsoft.Extensions.Configuration;
using OrderSaga.Topology;

namespace OrderSaga.AppHost;

/// <summary>
/// The one list of which configuration sections each service reads. The AppHost hands those sections of its own
/// configuration to the service as environment variables, so a setting such as <c>--Payment:DeclineRate=0.5</c> on
/// the AppHost reaches the service that reads it.
/// </summary>
public static class ForwardedSettings
{
    private static readonly string[] EveryService = ["Database", "HealthChecks", "Kafka:Client", "Kafka:Consumer", "Kafka:Producer", SagaTopics.PrefixKey, "Outbox", "Telemetry"];
    private static readonly string[] EveryWorker = [.. EveryService, "Consumer"];

    /// <summary>The sections each service reads, by its resource name (a saga role's resource is named after the role).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ByService = new Dictionary<string, string[]>
    {
        [ResourceNames.Provisioning] = ["Database", SagaTopics.PrefixKey],
        [ResourceNames.Api] = [.. EveryService, "Authentication", "Catalogue", "Idempotency", "OrderCache", "RateLimiting", "Timeouts"],
        [ResourceNames.Operator] = [.. EveryService, "Authentication", "Board", "StuckOrders"],
        [SagaRoles.Inventory] = EveryWorker,
        [SagaRoles.Payment] = [.. EveryWorker, "Payment"],
        [SagaRoles.Delivery] = EveryWorker,
        [SagaRoles.StatusUpdater] = [.. EveryWorker, "OrderCache", "Reconciler", "Retention", "StuckOrders"],
    };

    /// <summary>Hands the service what <paramref name="services"/> read: one service, or every role a combined process plays.</summary>
    public static IResourceBuilder<T> WithSettingsOf<T>(this IResourceBuilder<T> service, IConfiguration configuration, IEnumerable<string> services)
        where T : IResourceWithEnvironment
    {
        var sections = services.SelectMany(name => ByService[name]).Distinct();
        foreach (var (key, value) in sections.SelectMany(section => configuration.GetSection(section).AsEnumerable()))
        {
            if (value is not null)
            {
                service.WithSetting(key, value);
            }
        }

        return service;
    }
}
