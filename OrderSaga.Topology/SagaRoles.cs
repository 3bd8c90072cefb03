namespace OrderSaga.Topology;

/// <summary>
/// The parts OrderSaga.Workers can play, one per process. A saga role's name is also its Aspire resource name
/// and its default consumer group.
/// </summary>
public static class SagaRoles
{
    /// <summary>The configuration key a worker reads its role from (environment variable <c>Worker__Role</c>).</summary>
    public const string ConfigurationKey = "Worker:Role";

    public const string Provisioning = "provisioning";
    public const string Inventory = "inventory";
    public const string Payment = "payment";
    public const string Delivery = "delivery";
    public const string StatusUpdater = "status-updater";

    /// <summary>The roles that consume <see cref="Topics.OrderEvents"/>, each in its own consumer group.</summary>
    public static readonly IReadOnlyList<string> Consumers = [Inventory, Payment, Delivery, StatusUpdater];
}
