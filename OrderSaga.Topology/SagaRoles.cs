namespace OrderSaga.Topology;

/// <summary>
/// The parts OrderSaga.Workers can play, one per process unless the AppHost combines them. A saga role's name is
/// also its Aspire resource name and its default consumer group.
/// </summary>
public static class SagaRoles
{
    /// <summary>
    /// The configuration key a worker reads its role from (environment variable <c>Worker__Role</c>): one role, or
    /// several saga roles separated by commas for one process that plays them all.
    /// </summary>
    public const string ConfigurationKey = "Worker:Role";

    /// <summary>The Aspire resource of the one process that plays every saga role, when the AppHost combines them.</summary>
    public const string CombinedWorkers = "workers";

    public const string Provisioning = "provisioning";
    public const string Inventory = "inventory";
    public const string Payment = "payment";
    public const string Delivery = "delivery";
    public const string StatusUpdater = "status-updater";

    /// <summary>The roles that consume <see cref="Topics.OrderEvents"/>, each in its own consumer group.</summary>
    public static readonly IReadOnlyList<string> Consumers = [Inventory, Payment, Delivery, StatusUpdater];

    /// <summary>The value of <see cref="ConfigurationKey"/> for a process playing <paramref name="roles"/>.</summary>
    public static string ToSetting(IEnumerable<string> roles) => string.Join(',', roles);

    /// <summary>The roles a <see cref="ConfigurationKey"/> value names.</summary>
    public static IReadOnlyList<string> FromSetting(string? setting) =>
        setting?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
