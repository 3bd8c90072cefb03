using OrderSaga.AppHost.HealthChecks;

namespace OrderSaga.Tests.Unit;

public sealed class AdvertisedBrokersTests
{
    [Theory]
    [InlineData("localhost:19092", "localhost", 19092)]
    [InlineData("localhost:40123", "127.0.0.1", 40123)]
    [InlineData("127.0.0.1:40123", "localhost", 40123)]
    [InlineData("other:1,localhost:40123", "localhost", 40123)]
    public void A_broker_that_advertises_the_dialled_address_is_fine(string bootstrap, string host, int port) =>
        Assert.Null(AdvertisedBrokers.Mismatch(bootstrap, [(host, port)]));

    [Theory]
    [InlineData("localhost:40123", "localhost", 19092)]
    [InlineData("localhost:40123", "kafka", 40123)]
    public void A_broker_that_sends_clients_elsewhere_is_named(string bootstrap, string host, int port)
    {
        var mismatch = AdvertisedBrokers.Mismatch(bootstrap, [(host, port)]);

        Assert.Equal($"the broker advertises {host}:{port}, but clients connect to {bootstrap}", mismatch);
    }

    [Fact]
    public void Metadata_without_brokers_is_a_mismatch() =>
        Assert.NotNull(AdvertisedBrokers.Mismatch("localhost:1", []));
}
