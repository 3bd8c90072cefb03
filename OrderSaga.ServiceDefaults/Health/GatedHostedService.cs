using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Starts <paramref name="inner"/> once the <see cref="StartupGate"/> opens, and stops it with the host. Being a
/// <see cref="BackgroundService"/> itself, it lets the host see a failure of the inner service's loop as it would
/// have seen it ungated (logged, and the host stopped).
/// </summary>
internal sealed class GatedHostedService(IHostedService inner, StartupGate gate) : BackgroundService
{
    private volatile bool _started;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await gate.WhenOpenAsync(stoppingToken);
        await inner.StartAsync(stoppingToken);
        _started = true;
        if (inner is BackgroundService { ExecuteTask: { } running })
        {
            await running;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            await inner.StopAsync(cancellationToken);
        }

        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        (inner as IDisposable)?.Dispose();
        base.Dispose();
    }
}

public static class GatedHostedServiceExtensions
{
    /// <summary>A hosted service that starts only once the service's dependencies answered (<see cref="StartupGate"/>).</summary>
    public static IServiceCollection AddGatedHostedService<TService>(this IServiceCollection services) where TService : class, IHostedService =>
        services.AddGatedHostedService(provider => ActivatorUtilities.CreateInstance<TService>(provider));

    /// <inheritdoc cref="AddGatedHostedService{TService}(IServiceCollection)"/>
    public static IServiceCollection AddGatedHostedService(this IServiceCollection services, Func<IServiceProvider, IHostedService> create) =>
        services.AddSingleton<IHostedService>(provider => new GatedHostedService(create(provider), provider.GetRequiredService<StartupGate>()));
}
