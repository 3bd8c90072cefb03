using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OrderSaga.Messaging.Storage;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Saga;

/// <summary>
/// What the real PostgreSQL says when it is overloaded is an outage, not a fault of the work: consumers rewind and
/// wait instead of retrying and dead-lettering, and the api answers 503 problem details with Retry-After.
/// </summary>
[Collection(SagaAppCollection.Name)]
public sealed class ServerOverloadTests(SagaAppFixture fixture) : SagaTestContext(fixture)
{
    [Fact]
    public async Task A_statement_past_its_statement_timeout_is_an_outage_answered_503_with_Retry_After()
    {
        await AssertAnsweredAsOutageAsync(async () =>
        {
            await using var connection = await Database.OpenAsync();
            await using var command = new NpgsqlCommand("SET statement_timeout = '50ms'; SELECT pg_sleep(5)", connection);
            await command.ExecuteNonQueryAsync();
        }, PostgresErrorCodes.QueryCanceled);
    }

    [Fact]
    public async Task A_connection_limit_reached_is_an_outage_answered_503_with_Retry_After()
    {
        var role = $"limited_{Guid.NewGuid():N}"[..24];
        await Database.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD 'limited' CONNECTION LIMIT 1");
        try
        {
            var limited = new NpgsqlConnectionStringBuilder(await Fixture.ConnectionStringAsync(ResourceNames.Database))
            {
                Username = role,
                Password = "limited",
                Pooling = false,
            }.ConnectionString;
            await using var first = new NpgsqlConnection(limited);
            await first.OpenAsync();

            await AssertAnsweredAsOutageAsync(async () =>
            {
                await using var second = new NpgsqlConnection(limited);
                await second.OpenAsync();
            }, PostgresErrorCodes.TooManyConnections);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Database.ExecuteAsync($"DROP ROLE {role}");
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> against the real server, checks it fails with <paramref name="sqlState"/> and is
    /// taken as an outage, and that an endpoint of the services' HTTP conventions meeting it answers 503 with Retry-After.
    /// </summary>
    private static async Task AssertAnsweredAsOutageAsync(Func<Task> work, string sqlState)
    {
        var failure = await Assert.ThrowsAsync<PostgresException>(work);
        Assert.Equal(sqlState, failure.SqlState);
        Assert.True(DatabaseOutage.IsOutage(failure), $"{sqlState} was taken for a fault of the work");

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.AddHttpConventions();
        await using var app = builder.Build();
        app.UseHttpConventions(DatabaseOutage.IsOutage);
        app.MapGet("/work", async () =>
        {
            await work();
            return "done";
        });
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/work");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
