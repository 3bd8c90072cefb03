namespace OrderSaga.AppHost;

/// <summary>
/// Hands a resource a configuration value under its configuration key (<c>Postgres:Password</c>), written as the
/// environment variable .NET configuration reads that key from, so no name is spelled twice.
/// </summary>
public static class ResourceSettings
{
    public static string EnvironmentVariable(string key) => key.Replace(":", "__");

    public static IResourceBuilder<T> WithSetting<T>(this IResourceBuilder<T> resource, string key, string value)
        where T : IResourceWithEnvironment =>
        resource.WithEnvironment(EnvironmentVariable(key), value);

    /// <summary>A value known when the application starts, such as a generated password.</summary>
    public static IResourceBuilder<T> WithSetting<T>(this IResourceBuilder<T> resource, string key, ParameterResource value)
        where T : IResourceWithEnvironment =>
        resource.WithEnvironment(EnvironmentVariable(key), value);
}
