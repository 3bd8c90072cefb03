using System.Text.Json.Nodes;
using System.Xml.Linq;
using k8s;
using k8s.Models;
using OrderSaga.AppHost;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Deployment;

/// <summary>
/// The Kubernetes manifests under deploy/, rendered by <c>kubectl kustomize</c> for every overlay and checked for
/// what a cluster would only tell at run time: probes, the provisioning job, settings named as the services read
/// them, secrets kept out, and as many consumers as partitions at most; and every object against the API's schema.
/// </summary>
public sealed class DeploymentManifestTests
{
    private static readonly string[] ConnectionStrings = [ResourceNames.Kafka, ResourceNames.Database, ResourceNames.Redis];
    private const string AuthorityVariable = "Authentication__Schemes__Bearer__Authority";

    public static TheoryData<string> Overlays => [.. RenderedManifests.Overlays];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_object_is_valid_against_the_Kubernetes_API_and_its_selectors_select_pods(string overlay)
    {
        // The Kubernetes client's models are generated from the API's OpenAPI schema. Strict, an unknown kind, a field
        // the API does not have (a misspelt probe) or a value of the wrong type fails here, offline, as the API
        // server would refuse it.
        var objects = KubernetesYaml.LoadAllFromString(RenderedManifests.Render(overlay).Yaml, strict: true);

        Assert.All(objects.Cast<IMetadata<V1ObjectMeta>>(), item => Assert.Matches("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", item.Metadata.Name));
        var pods = objects.OfType<V1Deployment>().Select(deployment => (deployment.Metadata.Name, deployment.Spec.Template))
            .Concat(objects.OfType<V1Job>().Select(job => (job.Metadata.Name, job.Spec.Template)))
            .ToList();
        Assert.All(pods, pod => Assert.All(pod.Template.Spec.Containers, container =>
            Assert.True(!string.IsNullOrEmpty(container.Name) && !string.IsNullOrEmpty(container.Image), $"{overlay}/{pod.Name}: a container without a name or image")));
        // The API server refuses a Deployment whose selector does not select its own pods.
        Assert.All(objects.OfType<V1Deployment>(), deployment =>
            Assert.True(Selects(deployment.Spec.Selector.MatchLabels, deployment.Spec.Template), $"{overlay}/{deployment.Metadata.Name}: selector does not match its pods"));
        // A Service or a disruption budget that selects no pod is accepted, and does nothing.
        Assert.All(objects.OfType<V1Service>(), service =>
            Assert.True(pods.Any(pod => Selects(service.Spec.Selector, pod.Template)), $"{overlay}/{service.Metadata.Name}: the service selects no pod"));
        Assert.All(objects.OfType<V1PodDisruptionBudget>(), budget =>
            Assert.True(pods.Count(pod => Selects(budget.Spec.Selector.MatchLabels, pod.Template)) == 1, $"{overlay}/{budget.Metadata.Name}: the budget does not select one workload's pods"));
    }

    private static bool Selects(IDictionary<string, string>? selector, V1PodTemplateSpec pod) =>
        selector is { Count: > 0 } && selector.All(label => pod.Metadata.Labels?.TryGetValue(label.Key, out var value) == true && value == label.Value);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_service_has_its_startup_liveness_and_readiness_probes_on_the_right_endpoints(string overlay)
    {
        foreach (var (name, container) in Containers(RenderedManifests.Render(overlay).OfKind("Deployment")))
        {
            Assert.True(Path(container, "startupProbe") == ServiceEndpoints.Alive, $"{overlay}/{name}: startup probe");
            Assert.True(Path(container, "livenessProbe") == ServiceEndpoints.Alive, $"{overlay}/{name}: liveness probe");
            Assert.True(Path(container, "readinessProbe") == ServiceEndpoints.Health, $"{overlay}/{name}: readiness probe");
            // Liveness must not kill a process whose web server waits for its dependencies at start.
            var startupBudget = Seconds(container["startupProbe"]!, "periodSeconds") * Seconds(container["startupProbe"]!, "failureThreshold");
            Assert.True(startupBudget > 60, $"{overlay}/{name}: the startup probe allows {startupBudget} s, not more than HealthChecks:StartupTimeout");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Provisioning_is_a_job_and_each_saga_role_one_deployment_of_no_more_replicas_than_partitions(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        var partitions = int.Parse((string)Settings(manifests)["Kafka__Partitions"]!);

        var job = Assert.Single(manifests.OfKind("Job"));
        Assert.Equal(SagaRoles.Provisioning, Environment(Assert.Single(Containers([job])).Container)[SagaRoles.ConfigurationKey.Replace(":", "__")]);
        var roles = manifests.OfKind("Deployment")
            .Select(deployment => (Deployment: deployment, Role: Environment(Containers([deployment]).Single().Container).GetValueOrDefault("Worker__Role")))
            .Where(pair => pair.Role is not null)
            .ToList();
        Assert.Equal(SagaRoles.Consumers.Order(), roles.Select(pair => pair.Role).Order());
        foreach (var (deployment, role) in roles)
        {
            var replicas = int.Parse((string?)deployment["spec"]!["replicas"] ?? "1");
            Assert.True(replicas <= partitions, $"{overlay}: {role} has {replicas} replicas for {partitions} partitions");
            // The batch in hand finishes (Consumer:ShutdownGrace) within the host's 30 s, which the pod must outlast.
            Assert.True(Seconds(deployment["spec"]!["template"]!["spec"]!, "terminationGracePeriodSeconds") > Math.Max(30, new ConsumerOptions().ShutdownGrace.TotalSeconds),
                $"{overlay}: {role} is killed before it can shut down");
            Assert.Contains(manifests.OfKind("PodDisruptionBudget"), budget => budget["spec"]!["selector"]!.ToJsonString() == deployment["spec"]!["selector"]!.ToJsonString());
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Services_get_their_connection_strings_and_token_authority_from_the_secret_and_settings_by_the_names_they_read(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        var readSections = ForwardedSettings.ByService.Values.SelectMany(sections => sections)
            .Concat([Topics.PartitionsKey, Topics.ReplicationFactorKey, Topics.MinInsyncReplicasKey, SagaRoles.ConfigurationKey])
            .ToHashSet();

        foreach (var key in Settings(manifests).Select(setting => setting.Key))
        {
            var setting = key.Replace("__", ":");
            Assert.True(key is "ASPNETCORE_ENVIRONMENT" || key.StartsWith("OTEL_", StringComparison.Ordinal) || readSections.Any(section => setting.StartsWith(section, StringComparison.Ordinal)),
                $"{overlay}: the ConfigMap sets {key}, which no service reads");
        }

        foreach (var (name, container) in Containers([.. manifests.OfKind("Deployment"), .. manifests.OfKind("Job")]))
        {
            foreach (var variable in container["env"]!.AsArray().Select(variable => variable!.AsObject()))
            {
                var variableName = (string)variable["name"]!;
                if (variableName.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
                {
                    Assert.Contains(variableName["ConnectionStrings__".Length..], ConnectionStrings);
                    Assert.True(variable["valueFrom"]?["secretKeyRef"] is not null, $"{overlay}/{name}: {variableName} is not read from a secret");
                }
            }

            Assert.Contains($"ConnectionStrings__{ResourceNames.Database}", Environment(container).Keys);
        }

        // The services that validate tokens learn their authority from the Secret, as a deployment's secret store has it.
        foreach (var (name, container) in Containers(manifests.OfKind("Deployment").Where(deployment => (string?)deployment["metadata"]!["name"] is ResourceNames.Api or ResourceNames.Operator)))
        {
            var authority = container["env"]!.AsArray().Select(variable => variable!.AsObject()).SingleOrDefault(variable => (string?)variable["name"] == AuthorityVariable);
            Assert.True(authority?["valueFrom"]?["secretKeyRef"] is not null, $"{overlay}/{name}: the token authority is not read from the secret");
        }

        Assert.DoesNotContain(AuthorityVariable, Settings(manifests).Select(setting => setting.Key));
        Assert.Empty(manifests.OfKind("Secret"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Each_release_pulls_the_images_its_projects_publish_and_runs_its_own_provisioning_job(string overlay)
    {
        // As `dotnet publish /t:PublishContainer` names and tags them, evaluated by MSBuild from the projects.
        var published = new[] { "OrderSaga.Api", "OrderSaga.Operator", "OrderSaga.Workers" }.Select(PublishedImage).ToList();
        var manifests = RenderedManifests.Render(overlay);
        var pulled = Containers([.. manifests.OfKind("Deployment"), .. manifests.OfKind("Job")])
            .Select(pair => (string)pair.Container["image"]!)
            .Distinct()
            .ToList();

        Assert.Equal(published.Count, pulled.Count);
        Assert.All(pulled, image => Assert.Contains(published, publishedImage => image == publishedImage || image.EndsWith($"/{publishedImage}", StringComparison.Ordinal)));
        // Kubernetes never changes a Job's template: a release that reused the name would never provision.
        Assert.Equal($"provisioning-{Release.Replace('.', '-')}", (string)Assert.Single(manifests.OfKind("Job"))["metadata"]!["name"]!);
    }

    /// <summary>The solution's version (<c>Directory.Build.props</c>), which every release artefact carries.</summary>
    private static string Release => XDocument.Load(System.IO.Path.Combine(Repository.Root, "Directory.Build.props")).Descendants("Version").Single().Value;

    private static string PublishedImage(string project)
    {
        using var msbuild = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet",
            ["msbuild", System.IO.Path.Combine(Repository.Root, project), "-getProperty:ContainerRepository", "-getProperty:ContainerImageTags"])
        {
            RedirectStandardOutput = true,
        })!;
        var properties = JsonNode.Parse(msbuild.StandardOutput.ReadToEnd())!["Properties"]!;
        msbuild.WaitForExit();
        Assert.Equal(Release, (string)properties["ContainerImageTags"]!);
        return $"{properties["ContainerRepository"]}:{properties["ContainerImageTags"]}";
    }

    private static IEnumerable<(string Name, JsonObject Container)> Containers(IEnumerable<JsonObject> workloads) =>
        workloads.SelectMany(workload => workload["spec"]?["template"]?["spec"]?["containers"]?.AsArray() is { } containers
            ? containers.Select(container => ((string)workload["metadata"]!["name"]!, container!.AsObject()))
            : []);

    private static Dictionary<string, string?> Environment(JsonObject container) =>
        container["env"]!.AsArray().ToDictionary(variable => (string)variable!["name"]!, variable => (string?)variable!["value"]);

    private static JsonObject Settings(RenderedManifests manifests) =>
        manifests.OfKind("ConfigMap").Single(map => (string)map["metadata"]!["name"]! == "ordersaga-settings")["data"]!.AsObject();

    private static string? Path(JsonObject container, string probe) => (string?)container[probe]?["httpGet"]?["path"];

    private static double Seconds(JsonNode node, string field) => double.Parse((string)node[field]!);
}
