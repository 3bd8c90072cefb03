using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>The console lines each resource wrote while the application started, as the dashboard shows them.</summary>
public sealed partial record StartupLogs(IReadOnlyDictionary<string, IReadOnlyList<LogLine>> Lines)
{
    public static readonly StartupLogs Empty = new(new Dictionary<string, IReadOnlyList<LogLine>>());

    public static async Task<StartupLogs> ReadAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var lines = new Dictionary<string, IReadOnlyList<LogLine>>();
        foreach (var resource in model.Resources)
        {
            foreach (var instance in InstanceNames(app, resource))
            {
                var written = new List<LogLine>();
                await foreach (var batch in logs.GetAllAsync(instance).WithCancellation(cancellationToken))
                {
                    written.AddRange(batch);
                }

                lines[instance] = written;
            }
        }

        return new StartupLogs(lines);
    }

    /// <summary>
    /// The lines a newcomer would read as trouble: anything written to stderr (the dashboard paints it red),
    /// .NET log entries at warning level and above, and PostgreSQL's own warnings and errors.
    /// </summary>
    public IReadOnlyList<string> Problems() =>
    [
        .. Lines.SelectMany(resource =>
        {
            var text = resource.Value.Select(line => AnsiEscape().Replace(line.Content, "")).ToList();
            // A .NET console entry puts its message on the line after its level and category.
            return text
                .Select((line, index) => (line, index))
                .Where(entry => resource.Value[entry.index].IsErrorMessage || Trouble().IsMatch(entry.line))
                .Select(entry => $"{resource.Key}: {entry.line}{(entry.index + 1 < text.Count ? " | " + text[entry.index + 1] : "")}");
        }),
    ];

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"\b(warn|fail|crit): |\b(WARNING|ERROR|FATAL|PANIC): ")]
    private static partial Regex Trouble();

    // A process logs under its instance id (api-x7k2…), which the resource's latest state names.
    private static IEnumerable<string> InstanceNames(DistributedApplication app, IResource resource) =>
        app.ResourceNotifications.TryGetCurrentState(resource.Name, out var state) ? [state.ResourceId] : [resource.Name];
}
