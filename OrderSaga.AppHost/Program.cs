using Microsoft.Extensions.Configuration;
using OrderSaga.AppHost;
using OrderSaga.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var options = InfrastructureOptions.From(builder.Configuration);
var choice = InfrastructureModeSelector.Select(
    builder.Configuration[InfrastructureModeSelector.ConfigurationKey],
    () => ContainerRuntimeProbe.Probe(builder.Configuration["ASPIRE_CONTAINER_RUNTIME"]));
builder.LogInfrastructureChoice(choice);

var infrastructure = choice.Mode == InfrastructureMode.Containers
    ? ContainerInfrastructure.Add(builder)
    : LocalInfrastructure.Add(builder, options);

// Applies the database migrations and creates the topics, then exits; every service waits for it.
var migrations = builder.AddProject<Projects.OrderSaga_Workers>("migrations")
    .WithEnvironment(WorkerRoles.EnvironmentVariable, "migrations")
    .WithEnvironment("Kafka__Topics__OrderEvents__Partitions", options.OrderEventsPartitions.ToString())
    .Uses(infrastructure.Database)
    .Uses(infrastructure.Kafka);

builder.AddProject<Projects.OrderSaga_Api>("api")
    .WithReplicas(builder.Configuration.GetValue("Scale:api", 1))
    .WithSettings(builder.Configuration, "Idempotency", "OrderCache", "Outbox")
    .Uses(infrastructure.Database)
    .Uses(infrastructure.Redis)
    .Uses(infrastructure.Kafka)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health");

builder.AddSagaWorker("inventory", migrations, infrastructure.Database, infrastructure.Kafka);
builder.AddSagaWorker("payment", migrations, infrastructure.Database, infrastructure.Kafka)
    .WithSettings(builder.Configuration, "Payment");
builder.AddSagaWorker("delivery", migrations, infrastructure.Database, infrastructure.Kafka);
builder.AddSagaWorker("status-updater", migrations, infrastructure.Database, infrastructure.Kafka, infrastructure.Redis)
    .WithSettings(builder.Configuration, "OrderCache");

builder.Build().Run();
