using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Confluent.Kafka;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Messaging.Contract;
using OrderSaga.Messaging.Events;
using OrderSaga.Tests.Infrastructure;
using OrderSaga.Tests.Saga;

namespace OrderSaga.Tests.Contract;

/// <summary>Tools that know the standards, not our code, read the saga's messages: CloudEvents headers, an AsyncAPI document.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class StandardContractTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task Every_message_of_an_order_reads_as_a_cloud_event_with_its_envelopes_id_type_time_and_order()
    {
        var broker = new SagaBroker(await Fixture.ConnectionStringAsync(ResourceNames.Kafka));
        var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [(await Database.CreateProductAsync(stock: 1), 1)]);
        await Orders.WaitUntilSettledAsync(placed.OrderId);
        var key = placed.OrderId.ToString();

        var messages = broker.ReadUntil(Topics.OrderEvents, read => read.Count(r => r.Message.Key == key) >= 4).Where(r => r.Message.Key == key).ToList();

        Assert.All(messages, message =>
        {
            var cloudEvent = ToCloudEvent(message.Message);
            cloudEvent.Validate();
            var envelope = JsonDocument.Parse(message.Message.Value).RootElement;
            Assert.Equal(envelope.GetProperty("event_id").GetString(), cloudEvent.Id);
            Assert.Equal(envelope.GetProperty("type").GetString(), cloudEvent.Type);
            Assert.Equal(envelope.GetProperty("occurred_at").GetDateTimeOffset(), cloudEvent.Time);
            Assert.Equal(key, cloudEvent.Subject);
            Assert.Equal(EventSchemas.IdOf(cloudEvent.Type!), cloudEvent.DataSchema);
            Assert.Equal(new Uri(EventMessage.Source), cloudEvent.Source);
            Assert.Equal("application/json", cloudEvent.DataContentType);
            Assert.Equal(envelope.GetProperty("order_id").GetGuid(), ((JsonElement)cloudEvent.Data!).GetProperty("order_id").GetGuid());
        });
        Assert.Equal([EventTypes.OrderCreated, EventTypes.InventoryReserved, EventTypes.PaymentCompleted, EventTypes.OrderShipped],
            messages.Select(message => ToCloudEvent(message.Message).Type).Distinct());
    }

    [Fact]
    public async Task The_operator_console_serves_the_AsyncAPI_document_of_this_release()
    {
        using var console = Fixture.CreateOperatorClient();

        using var response = await console.GetAsync("/asyncapi/v3.json");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "contracts", "asyncapi.json")), await response.Content.ReadAsStringAsync());
    }

    /// <summary>The CloudEvents Kafka binding in binary mode, as a CloudEvents consumer applies it (the SDK has no Kafka binding on this mirror).</summary>
    private static CloudEvent ToCloudEvent(Message<string, byte[]> message)
    {
        var headers = (message.Headers ?? []).ToDictionary(header => header.Key, header => Encoding.UTF8.GetString(header.GetValueBytes()));
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.FromVersionId(headers["ce_specversion"])!)
        {
            DataContentType = headers.GetValueOrDefault("content-type"),
        };
        foreach (var (name, value) in headers.Where(header => header.Key.StartsWith("ce_", StringComparison.Ordinal) && header.Key != "ce_specversion"))
        {
            cloudEvent.SetAttributeFromString(name[3..], value);
        }

        new JsonEventFormatter().DecodeBinaryModeEventData(message.Value, cloudEvent);
        return cloudEvent;
    }
}
