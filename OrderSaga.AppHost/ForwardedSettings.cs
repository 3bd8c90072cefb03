using Microsoft.Extensions.Configuration;

namespace OrderSaga.AppHost;

public static class ForwardedSettings
{
    /// <summary>
    /// Hands a section of the AppHost's configuration to a service as environment variables, so a setting such as
    /// <c>--Payment:DeclineRate=0.5</c> on the AppHost reaches the service that reads it.
    /// </summary>
    public static IResourceBuilder<T> WithSettings<T>(this IResourceBuilder<T> service, IConfiguration configuration, params string[] sections)
        where T : IResourceWithEnvironment
    {
        foreach (var (key, value) in sections.SelectMany(section => configuration.GetSection(section).AsEnumerable()))
        {
            if (value is not null)
            {
                service.WithEnvironment(key.Replace(":", "__"), value);
            }
        }

        return service;
    }
}
