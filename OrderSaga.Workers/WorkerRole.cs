namespace OrderSaga.Workers;

/// <summary>Which part of the saga this process plays, from <c>Worker:Role</c> (env <c>Worker__Role</c>).</summary>
public enum WorkerRole
{
    Migrations,
    Inventory,
    Payment,
    Delivery,
    StatusUpdater,
}

public static class WorkerRoles
{
    public const string ConfigurationKey = "Worker:Role";

    private static readonly Dictionary<string, WorkerRole> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["migrations"] = WorkerRole.Migrations,
        ["inventory"] = WorkerRole.Inventory,
        ["payment"] = WorkerRole.Payment,
        ["delivery"] = WorkerRole.Delivery,
        ["status-updater"] = WorkerRole.StatusUpdater,
    };

    public static WorkerRole Parse(string? name) =>
        name is not null && ByName.TryGetValue(name, out var role)
            ? role
            : throw new ArgumentException($"{ConfigurationKey} is '{name}'; expected one of: {string.Join(", ", ByName.Keys)}.");
}
