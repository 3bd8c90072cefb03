using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderSaga.Messaging;
using OrderSaga.Messaging.Consuming;

namespace OrderSaga.Tests.Unit;

/// <summary>Every role consumes in a group of its own, whatever the configuration says: shared groups stall the saga.</summary>
public sealed class ConsumerGroupTests
{
    [Fact]
    public void A_group_id_set_for_all_services_does_not_put_roles_into_one_group()
    {
        Assert.Equal(SagaRoles.Inventory, GroupOf(SagaRoles.Inventory, new() { ["Consumer:GroupId"] = "shared" }));
        Assert.Equal(SagaRoles.Payment, GroupOf(SagaRoles.Payment, new() { ["Consumer:GroupId"] = "shared" }));
    }

    [Fact]
    public void Roles_sharing_a_process_keep_their_own_groups()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddSagaConsumer(SagaRoles.Inventory);
        builder.AddSagaConsumer(SagaRoles.StatusUpdater);
        using var services = builder.Services.BuildServiceProvider();

        var options = services.GetRequiredService<IOptionsMonitor<ConsumerOptions>>();
        Assert.Equal((SagaRoles.Inventory, SagaRoles.Inventory), (options.Get(SagaRoles.Inventory).GroupId, options.Get(SagaRoles.Inventory).Role));
        Assert.Equal((SagaRoles.StatusUpdater, SagaRoles.StatusUpdater), (options.Get(SagaRoles.StatusUpdater).GroupId, options.Get(SagaRoles.StatusUpdater).Role));
    }

    [Fact]
    public void A_prefix_goes_before_the_role_name()
    {
        Assert.Equal("staging-status-updater", GroupOf(SagaRoles.StatusUpdater, new() { ["Consumer:GroupIdPrefix"] = "staging-" }));
    }

    private static string GroupOf(string role, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSagaConsumer(role);
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptionsMonitor<ConsumerOptions>>().Get(role).GroupId;
    }
}
