using System.Text.Json.Nodes;
using OrderSaga.Messaging.Contract;
using OrderSaga.Messaging.Events;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Contract;

/// <summary>
/// The events this build writes are read by every release before it, and theirs by this one: checked against the
/// schemas each release shipped (<c>contracts/releases/&lt;version&gt;</c>), not only the last.
/// </summary>
public sealed class EventContractCompatibilityTests
{
    public static TheoryData<string> Releases =>
        [.. Directory.GetDirectories(Path.Combine(Repository.Root, "contracts", "releases")).Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(Releases))]
    public void This_builds_events_are_compatible_with_the_release(string version)
    {
        var released = Directory.GetFiles(Path.Combine(Repository.Root, "contracts", "releases", version, "order-events"), "*.schema.json")
            .ToDictionary(file => Path.GetFileName(file)[..^".schema.json".Length], file => JsonNode.Parse(File.ReadAllText(file))!);

        Assert.NotEmpty(released);
        Assert.Empty(SchemaCompatibility.BreakingChanges(released, Current()));
    }

    [Fact]
    public void A_new_optional_field_and_a_new_event_type_are_compatible()
    {
        var current = Current();
        Properties(current, EventTypes.OrderCreated)["coupon_code"] = new JsonObject { ["type"] = "string" };
        current["GiftWrapped"] = new JsonObject { ["type"] = "object" };

        Assert.Empty(SchemaCompatibility.BreakingChanges(Current(), current));
    }

    public static TheoryData<string, string> BreakingEdits => new()
    {
        { "removed", "OrderCreated: $.user_id is removed (or renamed)" },
        { "renamed", "OrderCreated: $.total is removed (or renamed)" },
        { "retyped", "OrderCreated: $.items[].product_id changes type from string to integer" },
        { "required added", "OrderCreated: $.coupon_code is added as required" },
        { "made optional", "OrderCreated: $.items becomes optional, but the released code requires it" },
        { "format", "envelope: $.order_id changes format from uuid to none" },
        { "type removed", "OrderExpired: removed" },
    };

    [Theory]
    [MemberData(nameof(BreakingEdits))]
    public void A_breaking_change_is_named_with_its_field(string edit, string expected)
    {
        var current = Current();
        var created = current[EventTypes.OrderCreated]!.AsObject();
        var properties = Properties(current, EventTypes.OrderCreated);
        switch (edit)
        {
            case "removed":
                properties.Remove("user_id");
                Required(created).RemoveAt(Required(created).Select(name => name!.GetValue<string>()).ToList().IndexOf("user_id"));
                break;
            case "renamed":
                var total = properties["total"]!;
                properties.Remove("total");
                properties["amount"] = total;
                break;
            case "retyped":
                properties["items"]!["items"]!["properties"]!["product_id"]!["type"] = "integer";
                break;
            case "required added":
                properties["coupon_code"] = new JsonObject { ["type"] = "string" };
                Required(created).Add("coupon_code");
                break;
            case "made optional":
                Required(created).RemoveAt(Required(created).Select(name => name!.GetValue<string>()).ToList().IndexOf("items"));
                break;
            case "format":
                current[EventSchemas.Envelope]!["properties"]!["order_id"]!.AsObject().Remove("format");
                break;
            case "type removed":
                current.Remove(EventTypes.OrderExpired);
                break;
        }

        Assert.Contains(expected, SchemaCompatibility.BreakingChanges(Current(), current));
    }

    private static Dictionary<string, JsonNode> Current() =>
        EventSchemas.All().ToDictionary(schema => schema.Key, schema => (JsonNode)schema.Value);

    private static JsonObject Properties(Dictionary<string, JsonNode> schemas, string name) => schemas[name]["properties"]!.AsObject();

    private static JsonArray Required(JsonObject schema) => schema["required"]!.AsArray();
}
