using OrderSaga.Messaging.Consuming;

namespace OrderSaga.Tests.Unit;

public sealed class RetryPolicyTests
{
    private readonly RetryPolicy _policy = new(MaxAttempts: 5, InitialBackoff: TimeSpan.FromMilliseconds(200), MaxBackoff: TimeSpan.FromSeconds(1));

    [Fact]
    public void Backoff_doubles_up_to_the_cap()
    {
        var delays = Enumerable.Range(1, 4).Select(failed => _policy.DelayAfter(failed)).ToList();

        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(1)], delays);
    }

    [Fact]
    public void No_retry_once_the_attempts_are_spent()
    {
        Assert.Null(_policy.DelayAfter(5));
    }

    [Fact]
    public void A_single_attempt_policy_never_retries()
    {
        Assert.Null(new RetryPolicy(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)).DelayAfter(1));
    }
}
