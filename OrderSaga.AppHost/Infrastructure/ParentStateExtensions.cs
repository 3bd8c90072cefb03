using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace OrderSaga.AppHost.Infrastructure;

public static class ParentStateExtensions
{
    /// <summary>
    /// Mirrors the parent's state onto a child resource that has no process of its own (a database inside a
    /// server). Aspire does this for container parents only; our local servers are executables.
    /// </summary>
    public static IResourceBuilder<T> WithStateOfParent<T>(this IResourceBuilder<T> builder, string resourceType)
        where T : IResource, IResourceWithParent
    {
        builder.WithInitialState(new CustomResourceSnapshot
        {
            ResourceType = resourceType,
            State = KnownResourceStates.NotStarted,
            Properties = [],
        });

        builder.OnInitializeResource((child, @event, cancellationToken) =>
        {
            var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = Task.Run(async () =>
            {
                await foreach (var update in @event.Notifications.WatchAsync(stopping))
                {
                    if (update.Resource == child.Parent)
                    {
                        await @event.Notifications.PublishUpdateAsync(child, state => state with
                        {
                            State = update.Snapshot.State,
                            StartTimeStamp = update.Snapshot.StartTimeStamp,
                            StopTimeStamp = update.Snapshot.StopTimeStamp,
                        });
                    }
                }
            }, stopping);
            return Task.CompletedTask;
        });
        return builder;
    }
}
