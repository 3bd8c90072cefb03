using OrderSaga.DevServers;
using OrderSaga.DevServers.Kafka;
using OrderSaga.DevServers.Postgres;
using OrderSaga.DevServers.Redis;
using OrderSaga.Topology;

// One executable, one server per process, named like the AppHost resource it plays (`kafka`, `redis` or
// `postgres`), so each shows up in the Aspire dashboard as its own resource with its own logs and lifetime.
if (args is not [var server, ..])
{
    Console.Error.WriteLine("usage: OrderSaga.DevServers kafka|redis|postgres [--Key=Value ...]");
    return 2;
}

var builder = Host.CreateApplicationBuilder(args[1..]);
builder.Logging.AddSimpleConsole(options =>
{
    options.SingleLine = true;
    options.TimestampFormat = "HH:mm:ss.fff ";
});
// Aspire marks every stderr line as an error; informational logs belong on stdout.
builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Error);
// Garnet warns that it was handed our logger factory instead of configuring its own; that is intended.
builder.Logging.AddFilter("ArgParser", LogLevel.Error);

switch (server)
{
    case ResourceNames.Kafka:
        builder.Services.AddOptions<KafkaMockOptions>().BindConfiguration(KafkaMockOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<KafkaMockServer>();
        break;
    case ResourceNames.Redis:
        builder.Services.AddOptions<GarnetOptions>().BindConfiguration(GarnetOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<GarnetRedisServer>();
        break;
    case ResourceNames.Postgres:
        builder.Services.AddOptions<PostgresOptions>().BindConfiguration(PostgresOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<PostgresServer>();
        break;
    default:
        Console.Error.WriteLine($"unknown server '{server}': expected kafka, redis or postgres");
        return 2;
}

builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(20));
await builder.Build().RunAsync();
return 0;
