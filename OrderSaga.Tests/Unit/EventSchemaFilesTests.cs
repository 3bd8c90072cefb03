using OrderSaga.Messaging.Contract;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Unit;

/// <summary>The contract of the saga's topics in the repository is the one the code reads and writes, and a valid one.</summary>
public sealed class EventSchemaFilesTests
{
    /// <summary>Set to 1 to write the code's schemas over the repository's, after a change to the contract that is meant.</summary>
    private const string AcceptVariable = "ORDERSAGA_ACCEPT_CONTRACT";

    public static readonly string Folder = Path.Combine(Repository.Root, "contracts", "order-events");

    private static readonly string AsyncApiFile = Path.Combine(Repository.Root, "contracts", "asyncapi.json");

    public static TheoryData<string> Names => [.. EventSchemas.All().Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_checked_in_schema_is_the_codes(string name)
    {
        AssertCheckedIn(Path.Combine(Folder, $"{name}.schema.json"), EventSchemas.ToText(EventSchemas.All()[name]));
    }

    [Fact]
    public void The_checked_in_AsyncAPI_document_is_the_codes() => AssertCheckedIn(AsyncApiFile, EventSchemas.ToText(AsyncApiDocument.Create()));

    [Fact]
    public async Task The_checked_in_AsyncAPI_document_is_valid_to_the_AsyncAPI_projects_parser()
    {
        var validator = Path.Combine(Repository.Root, "contracts", "validate");
        if (!Directory.Exists(Path.Combine(validator, "node_modules")))
        {
            await CommandRun.SucceedAsync("npm", ["ci", "--no-audit", "--no-fund"], validator);
        }

        var (exitCode, output) = await CommandRun.RunAsync("node", ["validate.mjs", AsyncApiFile], validator);

        Assert.True(exitCode == 0, output);
        Assert.Contains("valid AsyncAPI 3.0.0", output);
    }

    [Fact]
    public void Every_checked_in_schema_belongs_to_an_event_the_code_knows()
    {
        var files = Directory.GetFiles(Folder, "*.schema.json").Select(file => Path.GetFileName(file)[..^".schema.json".Length]);

        Assert.Equal(EventSchemas.All().Keys.Order(), files.Order());
    }

    private static void AssertCheckedIn(string path, string generated)
    {
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with {AcceptVariable}=1 to write it");
        Assert.True(File.ReadAllText(path) == generated,
            $"The code's contract differs from {path}: check it against the previous release (EventContractCompatibilityTests), then run the tests with {AcceptVariable}=1 and commit the diff.\n{generated}");
    }
}
