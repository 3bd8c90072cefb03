using System.Text.Json.Nodes;

namespace OrderSaga.Tests.Infrastructure;

/// <summary>A release as <c>contracts/releases/&lt;version&gt;/release.json</c> records it.</summary>
public sealed record ShippedRelease(string Version, string Commit, string LastMigration)
{
    /// <summary>The newest release: the one before this build.</summary>
    public static ShippedRelease Previous { get; } = Directory.GetFiles(Path.Combine(Repository.Root, "contracts", "releases"), "release.json", SearchOption.AllDirectories)
        .Select(file => JsonNode.Parse(File.ReadAllText(file))!)
        .Select(release => new ShippedRelease((string)release["version"]!, (string)release["commit"]!, (string)release["lastMigration"]!))
        .MaxBy(release => System.Version.Parse(release.Version))!;
}
