using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OrderSaga.Tests.Infrastructure;
using OrderSaga.Tests.Saga;

namespace OrderSaga.Tests.Board;

/// <summary>The board's server-sent event stream, read directly as the page reads it.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class BoardStreamTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_viewer_receives_an_orders_events_in_order()
    {
        using var viewer = await Fixture.CreateOperatorClientAsync(retries: false);
        viewer.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        using var timeout = new CancellationTokenSource(Timeout);
        await using var stream = await BoardStream.OpenAsync(viewer, timeout.Token);

        var hello = await stream.NextAsync("hello", timeout.Token);
        Assert.True(hello.TryGetProperty("statistics", out _));
        var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)]);
        // Delivery is at least once: on a slow machine the reconciler may publish an event again with its event id,
        // and the board shows that copy too. The saga's order is the order of first sightings.
        var envelopes = new List<JsonElement>();
        var seen = new HashSet<string>();
        while (envelopes.Count < 4)
        {
            var envelope = await stream.NextAsync("envelope", timeout.Token);
            if (envelope.GetProperty("order_id").GetString() == placed.OrderId.ToString()
                && seen.Add(envelope.GetProperty("json").GetProperty("event_id").GetString()!))
            {
                envelopes.Add(envelope);
            }
        }

        Assert.Equal(["OrderCreated", "InventoryReserved", "PaymentCompleted", "OrderShipped"], envelopes.Select(e => e.GetProperty("type").GetString()));
        Assert.Single(envelopes.Select(e => e.GetProperty("partition").GetInt32()).Distinct());
        Assert.Equal(envelopes.Select(e => e.GetProperty("offset").GetInt64()).Order(), envelopes.Select(e => e.GetProperty("offset").GetInt64()));
        Assert.Single(envelopes.Select(e => e.GetProperty("trace_id").GetString()).Distinct());
        Assert.Equal(SagaAppFixture.ApprovedUser, envelopes[0].GetProperty("json").GetProperty("payload").GetProperty("user_id").GetString());
    }

    [Fact]
    public async Task The_counters_follow_the_orders()
    {
        using var viewer = await Fixture.CreateOperatorClientAsync(retries: false);
        viewer.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        using var timeout = new CancellationTokenSource(Timeout);
        await using var stream = await BoardStream.OpenAsync(viewer, timeout.Token);
        var outcomesBefore = (await stream.NextAsync("hello", timeout.Token)).GetProperty("statistics").GetProperty("outcomes");

        var placed = await Orders.PlaceAsync(SagaAppFixture.ApprovedUser, [("prod-mouse", 1)]);
        await Orders.WaitUntilSettledAsync(placed.OrderId);

        var before = outcomesBefore.TryGetProperty("SHIPPED", out var count) ? count.GetInt64() : 0;
        while (true)
        {
            var statistics = await stream.NextAsync("statistics", timeout.Token);
            if (statistics.GetProperty("outcomes").TryGetProperty("SHIPPED", out var shipped) && shipped.GetInt64() > before)
            {
                Assert.Contains(statistics.GetProperty("stock").EnumerateArray(), product => product.GetProperty("product_id").GetString() == "prod-mouse");
                return;
            }
        }
    }

    [Fact]
    public async Task Only_an_operator_may_watch()
    {
        using var user = await Fixture.CreateOperatorClientAsync(SagaAppFixture.ApprovedUser);

        using var response = await user.GetAsync("/operator/board/stream", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>Reads <c>text/event-stream</c> the way a browser's EventSource does.</summary>
    private sealed class BoardStream(HttpResponseMessage response, StreamReader reader) : IAsyncDisposable
    {
        public static async Task<BoardStream> OpenAsync(HttpClient client, CancellationToken cancellationToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/operator/board/stream");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"the stream answered {(int)response.StatusCode}: {(response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync(cancellationToken))}");
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return new BoardStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken)));
        }

        /// <summary>The data of the next event named <paramref name="name"/>, skipping others.</summary>
        public async Task<JsonElement> NextAsync(string name, CancellationToken cancellationToken)
        {
            var type = "message";
            var data = new List<string>();
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    type = line[6..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line[5..].TrimStart());
                }
                else if (line.Length == 0 && data.Count > 0)
                {
                    if (type == name)
                    {
                        return JsonDocument.Parse(string.Join('\n', data)).RootElement.Clone();
                    }

                    type = "message";
                    data.Clear();
                }
            }

            throw new EndOfStreamException($"The board stream ended before a {name} event.");
        }

        public ValueTask DisposeAsync()
        {
            reader.Dispose();
            response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
