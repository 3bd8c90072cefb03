using System.Text.Json.Nodes;

namespace OrderSaga.Tests.Contract;

/// <summary>
/// Whether a message written to one schema is read by code of the other, both ways (a schema registry's
/// full-transitive mode): during a rolling update old and new replicas of a role read each other's events. A new
/// optional field or a new event type is fine; a removed or renamed field, a changed type or format, or a field whose
/// being required changed, is not, and is named by its JSON path.
/// </summary>
public static class SchemaCompatibility
{
    /// <summary>The breaking changes from <paramref name="released"/> to <paramref name="current"/> of one schema.</summary>
    public static IReadOnlyList<string> BreakingChanges(JsonNode released, JsonNode current)
    {
        var changes = new List<string>();
        Compare(released, current, "$", changes);
        return changes;
    }

    /// <summary>The breaking changes from one release's set of schemas (by name) to the current set: a schema gone breaks too.</summary>
    public static IReadOnlyList<string> BreakingChanges(IReadOnlyDictionary<string, JsonNode> released, IReadOnlyDictionary<string, JsonNode> current) =>
    [
        .. released.Keys.Where(name => !current.ContainsKey(name)).Select(name => $"{name}: removed"),
        .. released.Where(schema => current.ContainsKey(schema.Key))
            .SelectMany(schema => BreakingChanges(schema.Value, current[schema.Key]).Select(change => $"{schema.Key}: {change}")),
    ];

    private static void Compare(JsonNode released, JsonNode current, string path, List<string> changes)
    {
        if (Types(released) != Types(current))
        {
            changes.Add($"{path} changes type from {Types(released)} to {Types(current)}");
            return;
        }

        if (Text(released, "format") != Text(current, "format"))
        {
            changes.Add($"{path} changes format from {Text(released, "format") ?? "none"} to {Text(current, "format") ?? "none"}");
        }

        if (released["items"] is { } releasedItems && current["items"] is { } currentItems)
        {
            Compare(releasedItems, currentItems, $"{path}[]", changes);
        }

        var releasedProperties = Properties(released);
        var currentProperties = Properties(current);
        var (releasedRequired, currentRequired) = (Required(released), Required(current));
        foreach (var (name, schema) in releasedProperties)
        {
            var field = $"{path}.{name}";
            if (!currentProperties.TryGetValue(name, out var now))
            {
                changes.Add($"{field} is removed (or renamed)");
                continue;
            }

            if (releasedRequired.Contains(name) != currentRequired.Contains(name))
            {
                changes.Add(currentRequired.Contains(name) ? $"{field} becomes required" : $"{field} becomes optional, but the released code requires it");
            }

            Compare(schema, now, field, changes);
        }

        changes.AddRange(currentRequired.Where(name => !releasedProperties.ContainsKey(name)).Select(name => $"{path}.{name} is added as required"));
    }

    private static string Types(JsonNode schema) => schema switch
    {
        JsonObject { } node when node["type"] is JsonArray types => string.Join("|", types.Select(type => type!.GetValue<string>()).Order()),
        JsonObject { } node when node["type"] is { } type => type.GetValue<string>(),
        _ => "any",
    };

    private static string? Text(JsonNode schema, string keyword) => schema is JsonObject node && node[keyword] is { } value ? value.GetValue<string>() : null;

    private static Dictionary<string, JsonNode> Properties(JsonNode schema) =>
        schema is JsonObject node && node["properties"] is JsonObject properties
            ? properties.Where(property => property.Value is not null).ToDictionary(property => property.Key, property => property.Value!)
            : [];

    private static HashSet<string> Required(JsonNode schema) =>
        schema is JsonObject node && node["required"] is JsonArray required ? [.. required.Select(name => name!.GetValue<string>())] : [];
}
