namespace OrderSaga.Data.SchemaChanges;

/// <summary>
/// Marks a migration as the contract step of a two-step change: it drops, renames or rewrites what
/// <paramref name="unusedSince"/> (a release before the previous one) and every release after it no longer read or
/// write. Without it, a migration may only expand the schema, so the previous release runs on it unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ContractStepAttribute(string unusedSince, string what) : Attribute
{
    public string UnusedSince => unusedSince;
    public string What => what;
}
