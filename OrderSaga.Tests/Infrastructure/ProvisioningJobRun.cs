namespace OrderSaga.Tests.Infrastructure;

/// <summary>What one run of the provisioning job ended with: its exit code and what it wrote.</summary>
public sealed record ProvisioningJobResult(int ExitCode, string Output);

/// <summary>
/// The provisioning job (OrderSaga.Workers in the provisioning role) run on its own against servers, as the Kubernetes
/// Job of <c>deploy/</c> runs it: the connection strings and the topic settings from the environment, nothing else.
/// </summary>
public static class ProvisioningJobRun
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <param name="database">Another database on the servers' PostgreSQL than theirs, when set.</param>
    public static async Task<ProvisioningJobResult> RunAsync(StandInServers servers, int partitions, CancellationToken cancellationToken, string? database = null, IReadOnlyDictionary<string, string>? extraSettings = null)
    {
        var settings = new Dictionary<string, string>(servers.ServiceSettings())
        {
            [SagaRoles.ConfigurationKey] = SagaRoles.Provisioning,
            [Topics.PartitionsKey] = partitions.ToString(),
            // One stand-in broker keeps one copy of each partition.
            [Topics.ReplicationFactorKey] = "1",
            [Topics.MinInsyncReplicasKey] = "1",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        if (database is not null)
        {
            var key = $"ConnectionStrings:{ResourceNames.Database}";
            settings[key] = new Npgsql.NpgsqlConnectionStringBuilder(settings[key]) { Database = database }.ConnectionString;
        }

        using var job = StandAloneProcess.Start(new Projects.OrderSaga_Workers(), settings);
        var exitCode = await job.WaitForExitAsync(Timeout, cancellationToken);
        return new ProvisioningJobResult(exitCode, job.Output);
    }
}
