using OrderSaga.Data.Provisioning;
using OrderSaga.Topology;
using OrderSaga.Workers;
using OrderSaga.Workers.Provisioning;

var role = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build()[SagaRoles.ConfigurationKey];

if (role == SagaRoles.Provisioning)
{
    // A one-shot job: no web server, it exits when the schema and topics are in place.
    var provisioning = Host.CreateApplicationBuilder(args);
    provisioning.AddWorkerDependencies().AddProvisioning();
    await provisioning.Build().RunAsync();
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddWorkerDependencies();
builder.Services.AddProvisionedChecks();
foreach (var sagaRole in SagaRoles.FromSetting(role).DefaultIfEmpty(role))
{
    builder.AddSagaRole(sagaRole);
}

var app = builder.Build();
app.MapDefaultEndpoints();
await app.RunAsync();
