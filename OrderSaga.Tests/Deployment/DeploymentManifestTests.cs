using System.Text.Json.Nodes;
using System.Xml.Linq;
using k8s;
using k8s.Models;
using OrderSaga.AppHost;
using OrderSaga.Messaging.Consuming;
using OrderSaga.Tests.Infrastructure;
using OrderSaga.Workers.Provisioning;

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
            // /alive answers once the web server listens, whatever the dependencies do: the startup probe need not wait for them.
            var startupBudget = Seconds(container["startupProbe"]!, "periodSeconds") * Seconds(container["startupProbe"]!, "failureThreshold");
            Assert.True(startupBudget is >= 20 and <= 60, $"{overlay}/{name}: the startup probe allows {startupBudget} s for a process to listen");
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
    public void Every_container_asks_for_the_memory_it_was_measured_to_need_and_is_capped_with_headroom(string overlay)
    {
        foreach (var (name, container) in Containers([.. RenderedManifests.Render(overlay).OfKind("Deployment"), .. RenderedManifests.Render(overlay).OfKind("Job")]))
        {
            var request = Mebibytes(container["resources"]?["requests"]?["memory"]);
            var limit = Mebibytes(container["resources"]?["limits"]?["memory"]);
            Assert.True(request > 0 && limit > 0, $"{overlay}/{name}: no memory request or limit");
            // The request is the measured peak (docs/benchmark.md); the limit leaves half as much again for what a
            // benchmark on one machine does not show (a longer backlog, a cold cache filling).
            Assert.True(limit >= request * 1.5, $"{overlay}/{name}: a limit of {limit} MiB leaves no headroom over the request of {request} MiB");
        }
    }

    private static int Mebibytes(JsonNode? quantity) =>
        quantity is null ? 0 : ((string)quantity!).EndsWith("Gi", StringComparison.Ordinal)
            ? int.Parse(((string)quantity!)[..^2]) * 1024
            : int.Parse(((string)quantity!).TrimEnd('M', 'i'));

    [Fact]
    public void The_optional_lag_autoscaler_scales_each_role_on_its_own_group_and_topic_up_to_the_partition_count()
    {
        var manifests = RenderedManifests.RenderWithComponent("production", "kafka-lag-autoscaling");
        var settings = Settings(manifests);
        var partitions = int.Parse((string)settings["Kafka__Partitions"]!);
        var scalers = manifests.OfKind("ScaledObject").ToList();

        Assert.Equal(SagaRoles.Consumers.Select(role => $"worker-{role}").Order(), scalers.Select(scaler => (string)scaler["spec"]!["scaleTargetRef"]!["name"]!).Order());
        foreach (var scaler in scalers)
        {
            var role = ((string)scaler["spec"]!["scaleTargetRef"]!["name"]!)["worker-".Length..];
            var trigger = Assert.Single(scaler["spec"]!["triggers"]!.AsArray())!;
            Assert.Equal("kafka", (string?)trigger["type"]);
            Assert.Equal((string?)settings["Consumer__GroupIdPrefix"] + role, (string?)trigger["metadata"]!["consumerGroup"]);
            Assert.Equal(SagaTopics.WithPrefix((string?)settings["Kafka__TopicPrefix"]).OrderEvents, (string?)trigger["metadata"]!["topic"]);
            Assert.Equal($"ConnectionStrings__{ResourceNames.Kafka}", (string?)trigger["metadata"]!["bootstrapServersFromEnv"]);
            Assert.InRange(Number(scaler["spec"]!["maxReplicaCount"]) ?? 0, 1, partitions);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Only_the_job_holds_the_credential_that_changes_the_schema_and_only_Redis_users_hold_Redis_s(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        string[] redisUsers = [ResourceNames.Api, $"worker-{SagaRoles.StatusUpdater}"];

        foreach (var (name, container) in Containers([.. manifests.OfKind("Deployment"), .. manifests.OfKind("Job")]))
        {
            var secrets = container["env"]!.AsArray().Select(variable => variable!.AsObject())
                .Where(variable => variable["valueFrom"]?["secretKeyRef"] is not null)
                .ToDictionary(variable => (string)variable["name"]!, variable => (string)variable["valueFrom"]!["secretKeyRef"]!["key"]!);
            var isJob = manifests.OfKind("Job").Any(job => (string?)job["metadata"]!["name"] == name);
            Assert.True(secrets[$"ConnectionStrings__{ResourceNames.Database}"] == (isJob ? "ordersaga-migrations" : "ordersaga"), $"{overlay}/{name}: the wrong database credential");
            Assert.True(secrets.ContainsKey($"ConnectionStrings__{ResourceNames.Redis}") == redisUsers.Contains(name), $"{overlay}/{name}: Redis's credential where it is not used, or missing where it is");
        }

        Assert.Equal(ExternalDeployment.RuntimeRole, (string?)Settings(manifests)[RuntimeRoleGrants.RoleKey.Replace(":", "__")]);
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

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_pod_meets_the_restricted_pod_security_standard_with_a_writable_tmp_only(string overlay)
    {
        foreach (var (name, template) in PodTemplates(RenderedManifests.Render(overlay)))
        {
            var pod = template["spec"]!;
            Assert.True(Flag(pod["securityContext"]?["runAsNonRoot"]) == true && Number(pod["securityContext"]?["runAsUser"]) > 0, $"{overlay}/{name}: may run as root");
            Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]?["seccompProfile"]?["type"]);
            foreach (var container in pod["containers"]!.AsArray().Select(container => container!))
            {
                var security = container["securityContext"];
                Assert.True(Flag(security?["allowPrivilegeEscalation"]) == false, $"{overlay}/{name}: privilege escalation allowed");
                Assert.True(Flag(security?["readOnlyRootFilesystem"]) == true, $"{overlay}/{name}: writable root");
                Assert.Equal(["ALL"], security?["capabilities"]?["drop"]?.AsArray().Select(capability => (string)capability!) ?? []);
                var tmp = Assert.Single(container["volumeMounts"]!.AsArray(), mount => (string?)mount!["mountPath"] == "/tmp")!;
                Assert.Contains(pod["volumes"]!.AsArray(), volume => (string?)volume!["name"] == (string?)tmp["name"] && volume["emptyDir"] is not null);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Pods_run_under_their_own_service_account_without_an_api_token(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        var account = Assert.Single(manifests.OfKind("ServiceAccount"));
        Assert.False(Flag(account["automountServiceAccountToken"]) ?? true);
        Assert.All(PodTemplates(manifests), workload =>
        {
            Assert.Equal((string)account["metadata"]!["name"]!, (string?)workload.Pod["spec"]!["serviceAccountName"]);
            Assert.False(Flag(workload.Pod["spec"]!["automountServiceAccountToken"]) ?? true, $"{workload.Name} mounts an API token");
        });
        Assert.DoesNotContain(manifests.Objects, item => ((string)item["kind"]!).Contains("RoleBinding", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Traffic_is_denied_unless_a_policy_lets_it_and_the_console_only_from_the_operators_namespaces(string overlay)
    {
        var policies = RenderedManifests.Render(overlay).OfKind("NetworkPolicy").ToList();

        Assert.Contains(policies, policy => policy["spec"]!["podSelector"]!.AsObject().Count == 0
            && policy["spec"]!["policyTypes"]!.AsArray().Select(type => (string)type!).Order().SequenceEqual(["Egress", "Ingress"])
            && policy["spec"]!["ingress"] is null && policy["spec"]!["egress"] is null);
        var console = policies.Where(policy => (string?)policy["spec"]!["podSelector"]!["matchLabels"]?["app.kubernetes.io/name"] == ResourceNames.Operator
            && policy["spec"]!["ingress"] is not null).SelectMany(policy => policy["spec"]!["ingress"]!.AsArray()).ToList();
        Assert.NotEmpty(console);
        Assert.All(console, rule => Assert.All(rule!["from"]!.AsArray(), peer => Assert.NotNull(peer!["namespaceSelector"]?["matchLabels"])));
        Assert.Contains(policies, policy => policy["spec"]!["podSelector"]!.AsObject().Count == 0 && policy["spec"]!["egress"] is JsonArray egress
            && egress.Any(rule => rule!["ports"]!.AsArray().Any(port => Number(port!["port"]) == 53)));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_api_drains_before_it_stops_scales_by_its_autoscaler_and_every_deployment_spreads_over_nodes(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        var api = manifests.OfKind("Deployment").Single(deployment => (string)deployment["metadata"]!["name"]! == ResourceNames.Api);
        var pod = api["spec"]!["template"]!["spec"]!;
        var drain = Number(pod["containers"]![0]!["lifecycle"]?["preStop"]?["sleep"]?["seconds"]);
        // Longer than endpoint removal takes to reach the nodes (a few seconds), short enough that the host's 30 s
        // shutdown still fits in the grace period after it.
        Assert.InRange(drain ?? 0, 5, Seconds(pod, "terminationGracePeriodSeconds") - 30);
        Assert.Null(api["spec"]!["replicas"]);
        var autoscaler = Assert.Single(manifests.OfKind("HorizontalPodAutoscaler"));
        Assert.Equal(ResourceNames.Api, (string?)autoscaler["spec"]!["scaleTargetRef"]!["name"]);
        Assert.InRange(Number(autoscaler["spec"]!["minReplicas"]) ?? 0, 1, Number(autoscaler["spec"]!["maxReplicas"]) ?? 0);
        Assert.All(manifests.OfKind("Deployment"), deployment =>
            Assert.Contains(deployment["spec"]!["template"]!["spec"]!["topologySpreadConstraints"]?.AsArray() ?? [],
                spread => (string?)spread!["topologyKey"] == "kubernetes.io/hostname"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Each_pod_is_labelled_and_names_itself_in_its_telemetry_and_a_settings_change_rolls_it(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        var settings = manifests.OfKind("ConfigMap").Select(map => (string)map["metadata"]!["name"]!).Single(name => name.StartsWith("ordersaga-settings", StringComparison.Ordinal));
        // Generated with a hash of its content: a changed setting is a new name, so every pod that reads it rolls.
        Assert.Matches("^ordersaga-settings-[a-z0-9]{10}$", settings);
        var services = new List<string>();
        foreach (var (name, template) in PodTemplates(manifests))
        {
            var labels = template["metadata"]!["labels"]!;
            Assert.Equal(Release, (string?)labels["app.kubernetes.io/version"]);
            Assert.Equal("ordersaga", (string?)labels["app.kubernetes.io/part-of"]);
            Assert.NotNull((string?)labels["app.kubernetes.io/name"]);
            var container = template["spec"]!["containers"]![0]!.AsObject();
            Assert.Equal(settings, (string?)container["envFrom"]![0]!["configMapRef"]!["name"]);
            var environment = Environment(container);
            Assert.DoesNotContain("Consumer__InstanceId", environment.Keys);
            services.Add(environment["OTEL_SERVICE_NAME"]!);
            var attributes = environment["OTEL_RESOURCE_ATTRIBUTES"]!;
            Assert.Contains($"service.version={Release}", attributes);
            Assert.Contains("k8s.pod.name=$(POD_NAME)", attributes);
            Assert.True(environment.Keys.ToList().IndexOf("POD_NAME") < environment.Keys.ToList().IndexOf("OTEL_RESOURCE_ATTRIBUTES"), $"{name}: POD_NAME is defined after its use");
            if (environment.GetValueOrDefault("Worker__Role") is { } role)
            {
                Assert.Equal(role, environment["OTEL_SERVICE_NAME"]);
                Assert.True(role == SagaRoles.Provisioning || name.EndsWith($"-{role}", StringComparison.Ordinal), $"{name} runs {role}");
            }
        }

        Assert.Equal(services.Count, services.Distinct().Count());
        var job = Assert.Single(manifests.OfKind("Job"));
        Assert.True(Number(job["spec"]!["activeDeadlineSeconds"]) > 0 && Number(job["spec"]!["ttlSecondsAfterFinished"]) > 0, "the Job has no deadline or no history limit");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Readiness_probes_wait_as_long_as_readiness_promises_to_take_and_no_longer_than_a_second_more(string overlay)
    {
        var promised = Microsoft.Extensions.Hosting.HealthReportCache.AnswerWithin.TotalSeconds;
        foreach (var (name, container) in Containers(RenderedManifests.Render(overlay).OfKind("Deployment")))
        {
            var timeout = Seconds(container["readinessProbe"]!, "timeoutSeconds");
            Assert.True(timeout >= promised + 1 && timeout <= promised + 2, $"{overlay}/{name}: the readiness probe waits {timeout} s for an answer promised within {promised} s");
        }
    }

    [Fact]
    public void Production_keeps_one_trace_in_ten()
    {
        Assert.Equal("0.1", (string?)Settings(RenderedManifests.Render("production"))["Telemetry__TraceSampleRatio"]);
    }

    /// <summary>The solution's version (<c>Directory.Build.props</c>), which every release artefact carries.</summary>
    private static string Release => XDocument.Load(System.IO.Path.Combine(Repository.Root, "Directory.Build.props")).Descendants("Version").Single().Value;

    private static string PublishedImage(string project)
    {
        var output = CommandRun.SucceedAsync("dotnet",
            ["msbuild", System.IO.Path.Combine(Repository.Root, project), "-getProperty:ContainerRepository", "-getProperty:ContainerImageTags"]).GetAwaiter().GetResult();
        var properties = JsonNode.Parse(output)!["Properties"]!;
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
        manifests.OfKind("ConfigMap").Single(map => ((string)map["metadata"]!["name"]!).StartsWith("ordersaga-settings-", StringComparison.Ordinal))["data"]!.AsObject();

    private static IEnumerable<(string Name, JsonObject Pod)> PodTemplates(RenderedManifests manifests) =>
        manifests.Objects.Where(item => (string?)item["kind"] is "Deployment" or "Job")
            .Select(workload => ((string)workload["metadata"]!["name"]!, workload["spec"]!["template"]!.AsObject()));

    private static string? Path(JsonObject container, string probe) => (string?)container[probe]?["httpGet"]?["path"];

    private static double Seconds(JsonNode node, string field) => double.Parse((string)node[field]!);

    // The rendered YAML reads as JSON of strings only.
    private static bool? Flag(JsonNode? node) => node is null ? null : bool.Parse((string)node!);

    private static int? Number(JsonNode? node) => node is null ? null : int.Parse((string)node!);
}
