using System.ComponentModel.DataAnnotations;
using OrderSaga.Workers.Provisioning;

namespace OrderSaga.Tests.Unit;

public sealed class TopicOptionsTests
{
    [Fact]
    public void By_default_topics_are_made_for_a_cluster_three_copies_two_of_which_must_have_every_write()
    {
        var topic = new TopicOptions().Specification(Topics.OrderEvents, 6);

        Assert.Equal((short)3, topic.ReplicationFactor);
        Assert.Equal("2", topic.Configs["min.insync.replicas"]);
    }

    [Fact]
    public void One_in_sync_copy_asks_the_broker_for_no_setting_as_Redpanda_takes_none()
    {
        var topic = new TopicOptions { ReplicationFactor = 1, MinInsyncReplicas = 1 }.Specification(Topics.DeadLetters, 1);

        Assert.Equal((short)1, topic.ReplicationFactor);
        Assert.Null(topic.Configs);
    }

    [Fact]
    public void More_copies_in_sync_than_there_are_copies_is_refused()
    {
        var options = new TopicOptions { ReplicationFactor = 2, MinInsyncReplicas = 3 };

        var errors = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains(Topics.MinInsyncReplicasKey, Assert.Single(errors).ErrorMessage);
    }
}
