using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using OrderSaga.Messaging.Events;

namespace OrderSaga.Messaging.Contract;

/// <summary>
/// The JSON Schemas of <c>order-events</c>, generated from the records the code reads and writes with the wire
/// format's own options: the envelope and each event type's payload. The repository keeps them under
/// <c>contracts/order-events</c>, so every change to the contract shows as a diff.
/// </summary>
public static class EventSchemas
{
    public const string Envelope = "envelope";

    /// <summary>Where a schema is identified (<c>$id</c>, and the CloudEvents <c>dataschema</c> of a message).</summary>
    public static Uri IdOf(string name) => new($"urn:ordersaga:order-events:{name}");

    /// <summary>The envelope's schema under <see cref="Envelope"/>, and each event type's payload schema under its type.</summary>
    public static IReadOnlyDictionary<string, JsonObject> All() =>
        new[] { (Envelope, typeof(EventEnvelope)) }
            .Concat(EventTypes.Payloads.OrderBy(payload => payload.Key, StringComparer.Ordinal).Select(payload => (payload.Key, payload.Value)))
            .ToDictionary(schema => schema.Item1, schema => Generate(schema.Item1, schema.Item2));

    private static JsonObject Generate(string name, Type type)
    {
        var generated = JsonSchemaExporter.GetJsonSchemaAsNode(EventJson.Options, type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => context.PropertyInfo is { DeclaringType: var declaring, Name: "payload" } && declaring == typeof(EventEnvelope)
                ? new JsonObject { ["type"] = "object", ["description"] = "The event's own data: the schema of its type." }
                : node,
        }).AsObject();
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = IdOf(name).ToString(),
            ["title"] = name,
        };
        foreach (var (keyword, value) in generated.ToList())
        {
            generated.Remove(keyword);
            schema[keyword] = value;
        }

        return schema;
    }

    /// <summary>A schema as the repository keeps it: indented, ending in a new line.</summary>
    public static string ToText(JsonNode schema) => schema.ToJsonString(Indented) + "\n";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
