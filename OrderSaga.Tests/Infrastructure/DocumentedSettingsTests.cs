using System.Reflection;
using System.Text.RegularExpressions;
using static OrderSaga.Tests.Infrastructure.AppModel;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// The settings table of docs/configuration.md promises that a setting given to the AppHost reaches the services
/// named beside it; this holds the AppHost to every row.
/// </summary>
public sealed partial class DocumentedSettingsTests
{
    private static readonly string[] Workers = [.. SagaRoles.Consumers];
    private static readonly string[] Services = [ResourceNames.Api, .. Workers];

    [Fact]
    public async Task Every_setting_the_configuration_page_hands_to_services_reaches_each_of_them()
    {
        var documented = DocumentedSettings();
        Assert.True(documented.Count >= 30, $"only {documented.Count} settings read from the table");

        var resources = await ModelAsync("local", [.. documented.Select((setting, index) => $"--{setting.Key}=documented-{index}")]);

        var missing = new List<string>();
        foreach (var (setting, index) in documented.Select((setting, index) => (setting, index)))
        {
            foreach (var service in setting.Services)
            {
                var environment = await EnvironmentAsync(resources[service]);
                if (environment.GetValueOrDefault(setting.Key.Replace(":", "__")) != $"documented-{index}")
                {
                    missing.Add($"{setting.Key} → {service}");
                }
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_setting_a_service_reads_is_on_the_configuration_page()
    {
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "configuration.md"));
        var documented = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? previous = null;
        foreach (Match key in BacktickedKey().Matches(page))
        {
            var name = key.Groups[1].Value.Replace(":N", ":0");
            name = name.StartsWith('…') && previous is not null ? previous[..previous.LastIndexOf(':')] + name[1..] : name;
            documented.Add(name);
            // "`Consumer:RetrySchedule:N`" documents the list, which binds to the property without its index.
            documented.Add(name.EndsWith(":0", StringComparison.Ordinal) ? name[..^2] : name);
            previous = name.Contains(':') ? name : previous;
        }

        var read = OptionsClasses().SelectMany(options => options.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.SetMethod?.IsPublic == true)
            .Select(property => $"{options.Section}:{property.Name}"));

        var missing = read.Where(key => !documented.Contains(key)).Order().ToList();
        Assert.True(missing.Count == 0, $"not on docs/configuration.md: {string.Join(", ", missing)}");
    }

    /// <summary>Every options class of the services, with the section it binds (its <c>Section</c> constant).</summary>
    private static IEnumerable<(Type Type, string Section)> OptionsClasses() =>
        ((Assembly[])[typeof(OrderSaga.Api.Security.OrderRateLimitOptions).Assembly, typeof(OrderSaga.Data.DatabasePoolOptions).Assembly,
            typeof(OrderSaga.Messaging.Consuming.ConsumerOptions).Assembly, typeof(OrderSaga.Workers.Payment.PaymentOptions).Assembly,
            Assembly.LoadFrom(OrderSaga.AppHost.Infrastructure.BuiltProject.Locate(new Projects.OrderSaga_Operator()).Assembly)])
        .SelectMany(LoadableTypes)
        .Select(type => (Type: type, Section: type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
        .Where(options => options.Section is not null && options.Type.Name.EndsWith("Options", StringComparison.Ordinal))
        .Select(options => (options.Type, options.Section!));

    private static Type[] LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partly)
        {
            return [.. partly.Types.OfType<Type>()];
        }
    }

    private sealed record DocumentedSetting(string Key, IReadOnlyList<string> Services);

    /// <summary>Every key of the table of settings handed to services, with the services its row names.</summary>
    private static List<DocumentedSetting> DocumentedSettings()
    {
        var page = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "configuration.md"));
        var table = page.SkipWhile(line => !line.StartsWith("These sections of the AppHost's configuration are handed to the services", StringComparison.Ordinal))
            .SkipWhile(line => !line.StartsWith('|'))
            .Skip(2)
            .TakeWhile(line => line.StartsWith('|'));
        var settings = new List<DocumentedSetting>();
        foreach (var row in table)
        {
            var cells = row.Split('|', StringSplitOptions.TrimEntries)[1..^1];
            if (ServicesNamed(cells[2]) is not { Count: > 0 } services)
            {
                continue;
            }

            string? previous = null;
            foreach (Match key in BacktickedKey().Matches(cells[0]))
            {
                // "`…:MaxTokens`" is the previous key's sibling; ":N" stands for an index.
                var name = key.Groups[1].Value.Replace(":N", ":0");
                name = name.StartsWith('…') && previous is not null ? previous[..previous.LastIndexOf(':')] + name[1..] : name;
                settings.Add(new DocumentedSetting(name, services));
                previous = name;
            }
        }

        return settings;
    }

    private static List<string> ServicesNamed(string cell) =>
    [
        .. cell.Split(',', StringSplitOptions.TrimEntries).SelectMany(name => name switch
        {
            "every service" => Services,
            "workers" => Workers,
            "AppHost" => [],
            _ => [name],
        }).Distinct(),
    ];

    [GeneratedRegex("`([A-Za-z…][A-Za-z0-9:…]*)`")]
    private static partial Regex BacktickedKey();
}
