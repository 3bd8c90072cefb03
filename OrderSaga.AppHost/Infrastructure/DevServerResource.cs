namespace OrderSaga.AppHost.Infrastructure;

/// <summary>A server from OrderSaga.DevServers running as a local process, with a connection string like its container twin.</summary>
public sealed class DevServerResource : ExecutableResource, IResourceWithConnectionString
{
    public const string EndpointName = "tcp";
    private readonly Func<DevServerResource, ReferenceExpression> _connectionString;

    public DevServerResource(string name, string command, string workingDirectory, Func<DevServerResource, ReferenceExpression> connectionString)
        : base(name, command, workingDirectory)
    {
        _connectionString = connectionString;
        Endpoint = new EndpointReference(this, EndpointName);
    }

    public EndpointReference Endpoint { get; }

    public ReferenceExpression ConnectionStringExpression => _connectionString(this);
}

/// <summary>A database inside a local PostgreSQL server; it takes its state from the server.</summary>
public sealed class DevDatabaseResource(string name, string databaseName, DevServerResource server)
    : Resource(name), IResourceWithParent<DevServerResource>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public DevServerResource Parent { get; } = server;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
