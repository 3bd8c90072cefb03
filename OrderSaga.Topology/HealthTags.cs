namespace OrderSaga.Topology;

/// <summary>Tags that say what a health check is for, read by the start-up gate and the probes.</summary>
public static class HealthTags
{
    /// <summary>
    /// The provisioning job's work is in place (schema, topics). A service waits for these at start however long it
    /// takes: running ahead of its schema would fail work that a short wait would have done.
    /// </summary>
    public const string Provisioned = "provisioned";
}
