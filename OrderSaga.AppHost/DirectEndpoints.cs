namespace OrderSaga.AppHost;

/// <summary>
/// Whether Aspire's proxy stands in front of a service's HTTP port. The proxy is what spreads requests over
/// replicas; in front of a single process it only copies every request, and it took about a fifth of
/// <c>POST /orders</c> throughput (102 against 127 requests/s in the same minute). A service of one replica
/// listens on its port itself, so what a user measures on it is the service.
/// </summary>
public static class DirectEndpoints
{
    public static IResourceBuilder<ProjectResource> WithoutProxyWhenSingle(this IResourceBuilder<ProjectResource> service)
    {
        if (service.Resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault() is { Replicas: > 1 })
        {
            return service;
        }

        foreach (var endpoint in service.Resource.Annotations.OfType<EndpointAnnotation>().Where(endpoint => endpoint.UriScheme is "http" or "https"))
        {
            endpoint.IsProxied = false;
        }

        return service;
    }
}
