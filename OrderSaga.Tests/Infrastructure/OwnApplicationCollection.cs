namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// Tests that start a deployment of their own (servers started apart, replicas restarted under a steady stream). They
/// run alone, after the shared application's tests, so two busy applications never share these two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnApplicationCollection
{
    public const string Name = "Applications of their own";
}
