namespace OrderSaga.Messaging.Consuming;

/// <summary>Exponential backoff between the attempts at one message.</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialBackoff, TimeSpan MaxBackoff)
{
    public static RetryPolicy From(ConsumerOptions options) => new(options.MaxAttempts, options.InitialBackoff, options.MaxBackoff);

    /// <summary>The wait before the next attempt after <paramref name="failedAttempts"/> failures, or null when they are spent.</summary>
    public TimeSpan? DelayAfter(int failedAttempts)
    {
        if (failedAttempts >= MaxAttempts)
        {
            return null;
        }

        var delay = InitialBackoff * Math.Pow(2, failedAttempts - 1);
        return delay < MaxBackoff ? delay : MaxBackoff;
    }
}
