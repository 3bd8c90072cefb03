using System.Net;
using System.Text;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Security;

/// <summary>One user placing orders faster than allowed is told to wait, and nobody else is held back.</summary>
[Collection(SagaAppCollection.Name)]
public sealed class RateLimitTests(SagaAppFixture fixture)
{
    [Fact]
    public async Task A_burst_over_the_limit_is_answered_429_with_Retry_After()
    {
        using var flooder = await fixture.CreateApiClientAsync("it-flooder", retries: false);
        using var bystander = await fixture.CreateApiClientAsync("it-bystander", retries: false);

        var answers = await FloodAsync(flooder);

        // The whole burst was allowed before the first refusal.
        Assert.True(answers.Count(answer => answer.StatusCode == HttpStatusCode.BadRequest) >= SagaAppFixture.OrderBurstLimit);
        var limited = answers.Where(answer => answer.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, answer =>
        {
            Assert.True(answer.RetryAfter >= TimeSpan.FromSeconds(1), $"Retry-After was {answer.RetryAfter}");
            Assert.Equal("application/problem+json", answer.Type);
        });
        Assert.All(answers.Where(answer => answer.StatusCode != HttpStatusCode.TooManyRequests), answer => Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode));

        using var other = await bystander.PostAsync("/orders", EmptyOrder());
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task With_redis_down_each_replica_still_limits_a_burst_on_its_own()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var flooder = await fixture.CreateApiClientAsync($"it-flooder-{Guid.NewGuid():N}", retries: false);
        var redis = await fixture.SignalServiceAsync(ResourceNames.Redis, "TERM", timeout.Token);
        try
        {
            var answers = await FloodAsync(flooder);

            Assert.Contains(answers, answer => answer.StatusCode == HttpStatusCode.TooManyRequests);
            Assert.True(answers.Count(answer => answer.StatusCode == HttpStatusCode.BadRequest) >= SagaAppFixture.OrderBurstLimit);
        }
        finally
        {
            await fixture.StartInstanceAsync(ResourceNames.Redis, redis, timeout.Token, ResourceNames.Api, SagaRoles.StatusUpdater);
        }
    }

    /// <summary>
    /// Bodies that are refused anyway, so the burst writes nothing and costs the saga nothing. Waves go on until the
    /// bucket runs dry, however fast this machine answers (it refills while they are sent).
    /// </summary>
    private static async Task<List<(HttpStatusCode StatusCode, TimeSpan? RetryAfter, string? Type)>> FloodAsync(HttpClient flooder)
    {
        var answers = new List<(HttpStatusCode StatusCode, TimeSpan? RetryAfter, string? Type)>();
        for (var wave = 0; wave < 20 && answers.All(answer => answer.StatusCode != HttpStatusCode.TooManyRequests); wave++)
        {
            answers.AddRange(await Task.WhenAll(Enumerable.Range(0, SagaAppFixture.OrderBurstLimit / 2).Select(async _ =>
            {
                using var response = await flooder.PostAsync("/orders", EmptyOrder());
                return (response.StatusCode, response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType);
            })));
        }

        return answers;
    }

    private static StringContent EmptyOrder() => new("""{"items":[]}""", Encoding.UTF8, "application/json");
}
