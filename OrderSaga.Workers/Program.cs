using OrderSaga.Workers;
using OrderSaga.Workers.Migrations;

var role = WorkerRoles.Parse(new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build()[WorkerRoles.ConfigurationKey]);

if (role == WorkerRole.Migrations)
{
    // A one-shot job: no web server, it exits when the schema and topics are in place.
    var migrator = Host.CreateApplicationBuilder(args);
    migrator.AddWorkerDependencies().AddMigrations();
    await migrator.Build().RunAsync();
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddWorkerDependencies();
builder.AddSagaRole(role);

var app = builder.Build();
app.MapDefaultEndpoints();
await app.RunAsync();
