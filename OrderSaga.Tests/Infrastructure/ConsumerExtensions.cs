using Confluent.Kafka;

namespace OrderSaga.Tests.Infrastructure;

public static class ConsumerExtensions
{
    /// <summary>The first message <paramref name="match"/> accepts within <paramref name="timeout"/>, or null.</summary>
    public static ConsumeResult<TKey, TValue>? ConsumeUntil<TKey, TValue>(this IConsumer<TKey, TValue> consumer, Func<ConsumeResult<TKey, TValue>, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result && match(result))
            {
                return result;
            }
        }

        return null;
    }
}
