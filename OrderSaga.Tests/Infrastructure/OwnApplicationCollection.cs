namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// Tests that start an application of their own (another shape of the AppHost). They run alone, after the shared
/// application's tests, so two applications never share these two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnApplicationCollection
{
    public const string Name = "Applications of their own";
}
