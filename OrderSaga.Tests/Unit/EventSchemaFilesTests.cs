using OrderSaga.Messaging.Contract;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Unit;

/// <summary>The contract of <c>order-events</c> in the repository is the one the code reads and writes.</summary>
public sealed class EventSchemaFilesTests
{
    /// <summary>Set to 1 to write the code's schemas over the repository's, after a change to the contract that is meant.</summary>
    private const string AcceptVariable = "ORDERSAGA_ACCEPT_CONTRACT";

    public static readonly string Folder = Path.Combine(Repository.Root, "contracts", "order-events");

    public static TheoryData<string> Names => [.. EventSchemas.All().Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_checked_in_schema_is_the_codes(string name)
    {
        var path = Path.Combine(Folder, $"{name}.schema.json");
        var generated = EventSchemas.ToText(EventSchemas.All()[name]);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with {AcceptVariable}=1 to write it");
        Assert.True(File.ReadAllText(path) == generated,
            $"The code's {name} schema differs from {path}: check it against the previous release (EventContractCompatibilityTests), then run the tests with {AcceptVariable}=1 and commit the diff.\n{generated}");
    }

    [Fact]
    public void Every_checked_in_schema_belongs_to_an_event_the_code_knows()
    {
        var files = Directory.GetFiles(Folder, "*.schema.json").Select(file => Path.GetFileName(file)[..^".schema.json".Length]);

        Assert.Equal(EventSchemas.All().Keys.Order(), files.Order());
    }
}
