using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Authorization;
using Cdi.Cluster.Discovery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cdi.Cluster.Tests.Rbac;

/// <summary>HTTP requests as RBAC sees them (Kubernetes' RequestInfo).</summary>
public sealed class RequestVerbsTests
{
    private static readonly ResourceRegistry Registry = new(BuiltInResources.All);

    [Theory]
    [InlineData("GET", "", new[] { "namespaces", "ns", "pods" }, "list", "pods", null, "ns", null)]
    [InlineData("GET", "watch=true", new[] { "namespaces", "ns", "pods" }, "watch", "pods", null, "ns", null)]
    [InlineData("GET", "", new[] { "namespaces", "ns", "pods", "p" }, "get", "pods", null, "ns", "p")]
    [InlineData("GET", "", new[] { "namespaces", "ns", "pods", "p", "log" }, "get", "pods", "log", "ns", "p")]
    [InlineData("POST", "", new[] { "namespaces", "ns", "pods" }, "create", "pods", null, "ns", null)]
    [InlineData("POST", "", new[] { "namespaces", "ns", "serviceaccounts", "sa", "token" }, "create", "serviceaccounts", "token", "ns", "sa")]
    [InlineData("PUT", "", new[] { "namespaces", "ns", "pods", "p", "status" }, "update", "pods", "status", "ns", "p")]
    [InlineData("PATCH", "", new[] { "namespaces", "ns", "pods", "p" }, "patch", "pods", null, "ns", "p")]
    [InlineData("DELETE", "", new[] { "namespaces", "ns", "pods", "p" }, "delete", "pods", null, "ns", "p")]
    [InlineData("DELETE", "", new[] { "namespaces", "ns", "pods" }, "deletecollection", "pods", null, "ns", null)]
    [InlineData("GET", "", new[] { "nodes" }, "list", "nodes", null, null, null)]
    [InlineData("GET", "", new[] { "namespaces", "x" }, "get", "namespaces", null, "x", "x")]
    public void Methods_and_paths_become_verbs_resources_and_namespaces(string method, string query, string[] path, string verb, string resource,
        string? sub, string? ns, string? name)
    {
        var request = ResourceRequest.Parse(Registry, "", "v1", path)!;
        var q = new QueryCollection(query.Length == 0 ? [] : new Dictionary<string, StringValues> { [query.Split('=')[0]] = query.Split('=')[1] });
        RequestVerbs.Attributes(method, q, request).Should().Be(new ResourceAttributes(verb, "", resource, sub, ns, name));
    }
}
