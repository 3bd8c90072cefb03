using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>The AppHost's application model, built but not run, and what it declares for each resource.</summary>
public static class AppModel
{
    /// <summary>The arguments a resource is declared with, written as a manifest writes them: endpoints stay references.</summary>
    public static async Task<List<string>> ArgumentsAsync(IResource resource)
    {
        var args = new List<object>();
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(new CommandLineArgsCallbackContext(args, resource, CancellationToken.None));
        }

        return [.. args.Select(Expression)];
    }

    /// <summary>The environment a resource is declared with, written as a manifest writes it.</summary>
    public static async Task<Dictionary<string, string>> EnvironmentAsync(IResource resource)
    {
        var environment = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), resource, environment, CancellationToken.None);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return environment.ToDictionary(pair => pair.Key, pair => Expression(pair.Value));
    }

    private static string Expression(object value) => value is IManifestExpressionProvider reference ? reference.ValueExpression : value.ToString()!;

    public static async Task<Dictionary<string, IResource>> ModelAsync(string mode, params string[] settings)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.OrderSaga_AppHost>([$"--Infrastructure:Mode={mode}", .. settings]);
        return builder.Resources.ToDictionary(resource => resource.Name);
    }
}
