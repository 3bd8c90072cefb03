namespace OrderSaga.Topology;

/// <summary>Paths every service or the api serves, which the AppHost probes and links to.</summary>
public static class ServiceEndpoints
{
    /// <summary>Readiness: every health check, in every service.</summary>
    public const string Health = "/health";

    /// <summary>Liveness: answers while the process runs, in every service.</summary>
    public const string Alive = "/alive";

    /// <summary>The live saga board's page, in the api.</summary>
    public const string BoardPage = "/board/";
}
