using OrderSaga.Workers.Provisioning;

namespace OrderSaga.Tests.Unit;

/// <summary>A change of <c>Kafka:Partitions</c> after the topic exists is applied or refused, never ignored.</summary>
public sealed class TopicChangeTests
{
    [Fact]
    public void A_missing_topic_is_created_with_the_configured_partitions() =>
        Assert.Equal(new TopicChange.Create("order-events", 6), TopicChange.For("order-events", 6, existingPartitions: null));

    [Fact]
    public void A_topic_with_fewer_partitions_than_configured_grows() =>
        Assert.Equal(new TopicChange.AddPartitions("order-events", 6, 12), TopicChange.For("order-events", 12, existingPartitions: 6));

    [Fact]
    public void A_topic_as_configured_is_left_alone() =>
        Assert.Equal(new TopicChange.None("order-events"), TopicChange.For("order-events", 6, existingPartitions: 6));

    [Fact]
    public void Fewer_partitions_than_the_topic_has_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TopicChange.For("order-events", 3, existingPartitions: 6));

        Assert.Contains("has 6 partitions but 3 are configured", error.Message);
        Assert.Contains("Kafka:Partitions", error.Message);
    }
}
