using System.Diagnostics;
using System.Text.Json.Nodes;
using OrderSaga.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace OrderSaga.Tests.Deployment;

/// <summary>deploy/ as <c>kubectl kustomize</c> renders it (the base or an overlay), its objects read as JSON.</summary>
public sealed class RenderedManifests(string overlay, string yaml, IReadOnlyList<JsonObject> objects)
{
    public static readonly string[] Overlays = [.. Directory.GetDirectories(Path.Combine(Repository.Root, "deploy", "overlays")).Select(Path.GetFileName).Order()!];

    public string Overlay { get; } = overlay;

    /// <summary>What <c>kubectl kustomize</c> printed: what <c>kubectl apply -k</c> would send.</summary>
    public string Yaml { get; } = yaml;

    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(item => (string?)item["kind"] == kind);

    public static RenderedManifests Render(string overlay) => RenderFolder(Path.Combine("overlays", overlay));

    /// <summary>The base, before any overlay names a registry or a tag.</summary>
    public static RenderedManifests Base() => RenderFolder("base");

    private static RenderedManifests RenderFolder(string overlay)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(Repository.Root, "deploy", overlay)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var kubectl = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var yaml = kubectl.StandardOutput.ReadToEndAsync();
        var errors = kubectl.StandardError.ReadToEndAsync();
        kubectl.WaitForExit();
        Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize {overlay} failed: {errors.Result}");

        var deserializer = new DeserializerBuilder().Build();
        var json = new SerializerBuilder().JsonCompatible().Build();
        var parser = new Parser(new StringReader(yaml.Result));
        parser.Consume<StreamStart>();
        var objects = new List<JsonObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            objects.Add(JsonNode.Parse(json.Serialize(deserializer.Deserialize<object>(parser)))!.AsObject());
        }

        return new RenderedManifests(overlay, yaml.Result, objects);
    }
}
