using System.Reflection;
using System.Text.Json.Nodes;
using OrderSaga.Messaging.Events;
using OrderSaga.Topology;

namespace OrderSaga.Messaging.Contract;

/// <summary>
/// The AsyncAPI 3 document of the saga's topics: <c>order-events</c> with one message per event type (the envelope
/// around that type's payload, keyed by order id, with our and the CloudEvents headers) and <c>order-events.dlq</c>
/// with whatever failed and the headers that say why. Built from <see cref="EventSchemas"/>, so it cannot drift.
/// </summary>
public static class AsyncApiDocument
{
    /// <summary>The document of this release (the solution's <c>Version</c>).</summary>
    public static JsonObject Create()
    {
        var version = typeof(AsyncApiDocument).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var schemas = EventSchemas.All();
        var types = schemas.Keys.Where(name => name != EventSchemas.Envelope).ToList();
        var components = new JsonObject
        {
            [EventSchemas.Envelope] = Embedded(schemas[EventSchemas.Envelope]),
            ["EventHeaders"] = EventHeaders(),
            ["DeadLetterHeaders"] = DeadLetterHeaders(),
        };
        foreach (var type in types)
        {
            components[type] = Embedded(schemas[type]);
            components[$"{type}Envelope"] = new JsonObject
            {
                ["allOf"] = new JsonArray(
                    Ref($"#/components/schemas/{EventSchemas.Envelope}"),
                    new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = type }, ["payload"] = Ref($"#/components/schemas/{type}") },
                    }),
            };
        }

        var messages = new JsonObject();
        foreach (var type in types)
        {
            messages[type] = new JsonObject
            {
                ["name"] = type,
                ["title"] = type,
                ["contentType"] = "application/json",
                ["headers"] = Ref("#/components/schemas/EventHeaders"),
                ["payload"] = Ref($"#/components/schemas/{type}Envelope"),
                ["bindings"] = OrderKey(),
            };
        }

        messages["DeadLetter"] = new JsonObject
        {
            ["name"] = "DeadLetter",
            ["title"] = "A message no consumer could handle",
            ["summary"] = "The original key and value (which may be no event at all) with its headers and the dlq- headers that say why.",
            ["headers"] = Ref("#/components/schemas/DeadLetterHeaders"),
            ["payload"] = new JsonObject(),
        };

        return new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = new JsonObject
            {
                ["title"] = "OrderSaga events",
                ["version"] = version,
                ["description"] = "The choreography saga's one topic, keyed by order id, and its dead-letter topic.",
            },
            ["defaultContentType"] = "application/json",
            ["channels"] = new JsonObject
            {
                ["orderEvents"] = new JsonObject
                {
                    ["address"] = Topics.OrderEvents,
                    ["messages"] = new JsonObject(types.Select(type => KeyValuePair.Create(type, (JsonNode?)Ref($"#/components/messages/{type}")))),
                },
                ["deadLetters"] = new JsonObject
                {
                    ["address"] = Topics.DeadLetters,
                    ["messages"] = new JsonObject { ["DeadLetter"] = Ref("#/components/messages/DeadLetter") },
                },
            },
            ["operations"] = new JsonObject
            {
                ["sendOrderEvents"] = Operation("send", "orderEvents", types, "Every service publishes its steps through its outbox."),
                ["receiveOrderEvents"] = Operation("receive", "orderEvents", types, "Each saga role reads the topic in its own consumer group."),
                ["sendDeadLetters"] = Operation("send", "deadLetters", ["DeadLetter"], "A role parks what it cannot handle."),
            },
            ["components"] = new JsonObject { ["schemas"] = components, ["messages"] = messages },
        };
    }

    private static JsonObject Operation(string action, string channel, IEnumerable<string> messages, string summary) => new()
    {
        ["action"] = action,
        ["summary"] = summary,
        ["channel"] = Ref($"#/channels/{channel}"),
        ["messages"] = new JsonArray([.. messages.Select(message => (JsonNode)Ref($"#/channels/{channel}/messages/{message}"))]),
    };

    /// <summary>A schema as a component: the JSON Schema keywords that name it stand-alone are the document's business here.</summary>
    private static JsonObject Embedded(JsonObject schema)
    {
        var embedded = schema.DeepClone().AsObject();
        embedded.Remove("$schema");
        embedded.Remove("$id");
        return embedded;
    }

    private static JsonObject EventHeaders() => Headers(
        (MessageHeaders.EventType, "The event's type, as in the envelope."),
        (MessageHeaders.EventId, "The event's id, as in the envelope."),
        ("traceparent", "W3C trace context of the order's trace."),
        (MessageHeaders.CloudEventsSpecVersion, "CloudEvents: 1.0."),
        (MessageHeaders.CloudEventsId, "CloudEvents: the event's id."),
        (MessageHeaders.CloudEventsSource, $"CloudEvents: {EventMessage.Source}."),
        (MessageHeaders.CloudEventsType, "CloudEvents: the event's type."),
        (MessageHeaders.CloudEventsTime, "CloudEvents: when it occurred."),
        (MessageHeaders.CloudEventsSubject, "CloudEvents: the order id."),
        (MessageHeaders.CloudEventsDataSchema, "CloudEvents: the id of the payload's schema."),
        (MessageHeaders.ContentType, "application/json."),
        (MessageHeaders.RetryRound, "On a copy published again for a retry round: the round."),
        (MessageHeaders.RetryConsumerGroup, "On such a copy: the only consumer group that acts on it."));

    private static JsonObject DeadLetterHeaders() => Headers(
        (MessageHeaders.DeadLetterReason, "InvalidEnvelope, InvalidPayload or HandlerFailed."),
        (MessageHeaders.DeadLetterError, "The last error."),
        (MessageHeaders.DeadLetterAttempts, "Attempts made."),
        (MessageHeaders.DeadLetterConsumerGroup, "The consumer group that gave up."),
        (MessageHeaders.DeadLetterOriginalTopic, "Where the message was read."),
        (MessageHeaders.DeadLetterOriginalPartition, "Its partition there."),
        (MessageHeaders.DeadLetterOriginalOffset, "Its offset there."),
        (MessageHeaders.DeadLetterFailedAt, "When it was parked."));

    private static JsonObject Headers(params (string Name, string Description)[] headers) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject(headers.Select(header =>
            KeyValuePair.Create(header.Name, (JsonNode?)new JsonObject { ["type"] = "string", ["description"] = header.Description }))),
    };

    private static JsonObject OrderKey() => new()
    {
        ["kafka"] = new JsonObject { ["key"] = new JsonObject { ["type"] = "string", ["format"] = "uuid", ["description"] = "The order id." } },
    };

    private static JsonObject Ref(string target) => new() { ["$ref"] = target };
}
