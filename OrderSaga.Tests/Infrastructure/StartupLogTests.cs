namespace OrderSaga.Tests.Infrastructure;

/// <summary>A first start on an empty data folder, as a newcomer's first <c>dotnet run</c>, reads clean.</summary>
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
}
