using Microsoft.Extensions.Configuration;
using OrderSaga.AppHost;
using OrderSaga.AppHost.Infrastructure;
using OrderSaga.Topology;

var builder = DistributedApplication.CreateBuilder(args);

var options = InfrastructureOptions.From(builder.Configuration);
var choice = InfrastructureModeSelector.Select(
    builder.Configuration[InfrastructureModeSelector.ConfigurationKey],
    () => ContainerRuntimeProbe.Probe(ContainerRuntimeProbe.ConfiguredRuntime(builder.Configuration)));
builder.LogInfrastructureChoice(choice);

var infrastructure = choice.Mode switch
{
    InfrastructureMode.Containers => ContainerInfrastructure.Add(builder, options),
    InfrastructureMode.External => ExternalInfrastructure.Add(builder),
    _ => LocalInfrastructure.Add(builder, options),
};

// Applies the database migrations and creates the topics, then exits; every service waits for it.
var provisioning = builder.AddProvisioning()
    .WithSetting(Topics.PartitionsKey, options.OrderEventsPartitions.ToString())
    .WithSettingsOf(builder.Configuration, [ResourceNames.Provisioning])
    .WithTopicReplication(builder.Configuration, infrastructure)
    .Uses(infrastructure.Database)
    .Uses(infrastructure.Kafka);

var api = builder.AddProject<Projects.OrderSaga_Api>(ResourceNames.Api)
    .WithReplicas(builder.Configuration.GetValue($"Scale:{ResourceNames.Api}", 1))
    .WithoutProxyWhenSingle()
    .WithSettingsOf(builder.Configuration, [ResourceNames.Api])
    .Uses(infrastructure.Database)
    .Uses(infrastructure.Redis)
    .Uses(infrastructure.Kafka)
    .WaitForCompletion(provisioning)
    .WithHttpHealthCheck(ServiceEndpoints.Health)
    .WithMetricExportInterval(builder.Configuration);

// The console calls the api for the board's demo orders and audit trails.
builder.AddProject<Projects.OrderSaga_Operator>(ResourceNames.Operator)
    .WithoutProxyWhenSingle()
    .WithSettingsOf(builder.Configuration, [ResourceNames.Operator])
    .WithReference(api)
    .Uses(infrastructure.Database)
    .Uses(infrastructure.Kafka)
    .WaitForCompletion(provisioning)
    .WithHttpHealthCheck(ServiceEndpoints.Health)
    .WithMetricExportInterval(builder.Configuration)
    .WithSagaBoard(builder);

builder.AddSagaWorkers(provisioning, infrastructure);

builder.Build().Run();
