using Microsoft.Extensions.DependencyInjection;

namespace OrderSaga.Data.StuckOrders;

public static class StuckOrderRegistration
{
    /// <summary>What stuck means (<see cref="StuckOrderOptions"/>) and the redrive that moves such orders on.</summary>
    public static IServiceCollection AddStuckOrderRedrive(this IServiceCollection services)
    {
        services.AddOptions<StuckOrderOptions>().BindConfiguration(StuckOrderOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<StuckOrderRedrive>();
        return services;
    }
}
