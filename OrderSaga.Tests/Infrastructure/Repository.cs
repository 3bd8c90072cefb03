namespace OrderSaga.Tests.Infrastructure;

/// <summary>The checkout the tests run from, for tests of what it holds besides code (docs, manifests).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrderSaga.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("OrderSaga.sln not found above the test binaries");
    }
}
