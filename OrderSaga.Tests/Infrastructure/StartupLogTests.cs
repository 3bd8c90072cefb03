namespace OrderSaga.Tests.Infrastructure;

/// <summary>
/// A first start on an empty data folder and empty user folders (<see cref="OrderSaga.Testing.SagaAppRun.UserData"/>), as a
/// newcomer's first <c>dotnet run</c>, reads clean.
/// </summary>
[Collection(SagaAppCollection.Name)]
public sealed class StartupLogTests(SagaAppFixture fixture)
{
    [Fact]
    public void A_first_start_logs_no_warning_or_error()
    {
        Assert.NotEmpty(fixture.StartupLogs.Lines[fixture.ResourceId(ResourceNames.Provisioning)]);
        var problems = fixture.StartupLogs.Problems();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void A_start_writes_nothing_to_the_user_s_folders()
    {
        // ASP.NET Core's default key ring would land here; the services keep theirs in memory.
        var userData = fixture.UserData ?? throw new InvalidOperationException("The fixture runs in local mode.");
        Assert.Empty(Directory.EnumerateFileSystemEntries(userData, "*", SearchOption.AllDirectories));
    }
}
