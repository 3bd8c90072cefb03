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

    /// <summary>An overlay with an optional component of <c>deploy/components</c> added, as a user's own overlay adds it.</summary>
    public static RenderedManifests RenderWithComponent(string overlay, string component)
    {
        var folder = Directory.CreateTempSubdirectory("ordersaga-kustomize-");
        try
        {
            // Kustomize takes only relative paths to other kustomizations.
            string Relative(params string[] path) => Path.GetRelativePath(folder.FullName, Path.Combine([Repository.Root, "deploy", .. path]));
            File.WriteAllText(Path.Combine(folder.FullName, "kustomization.yaml"), $"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [{Relative("overlays", overlay)}]
                components: [{Relative("components", component)}]
                """);
            return RenderPath(folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The base, before any overlay names a registry or a tag.</summary>
    public static RenderedManifests Base() => RenderFolder("base");

    private static RenderedManifests RenderFolder(string overlay) => RenderPath(Path.Combine(Repository.Root, "deploy", overlay));

    private static RenderedManifests RenderPath(string overlay)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", overlay])
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
