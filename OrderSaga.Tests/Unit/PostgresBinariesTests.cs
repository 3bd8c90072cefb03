extern alias DevServers;

using DevServers::OrderSaga.DevServers.Postgres;

namespace OrderSaga.Tests.Unit;

public sealed class PostgresBinariesTests
{
    [Fact]
    public void A_missing_installation_says_what_to_install()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"no-postgres-{Guid.NewGuid():N}");

        var error = Assert.Throws<InvalidOperationException>(() => PostgresBinaries.Locate(folder));

        Assert.Contains("apt-get install postgresql", error.Message);
        Assert.Contains("Infrastructure:Local:PostgresBinDirectory", error.Message);
    }

    [Fact]
    public void A_folder_with_initdb_and_postgres_is_used()
    {
        var folder = Directory.CreateTempSubdirectory("fake-postgres-").FullName;
        File.WriteAllText(Path.Combine(folder, "initdb"), "");
        File.WriteAllText(Path.Combine(folder, "postgres"), "");

        var binaries = PostgresBinaries.Locate(folder);

        Assert.Equal(Path.Combine(folder, "postgres"), binaries.Postgres);
        Assert.Equal(Path.Combine(folder, "initdb"), binaries.InitDb);
        Directory.Delete(folder, recursive: true);
    }
}
