using Cdi.Cluster.Discovery;

namespace Cdi.Cluster.ApiServer;

/// <summary>A parsed resource URL: <c>/api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]</c> or the <c>/apis/{group}/{version}/...</c> form.</summary>
internal sealed record ResourceRequest(ResourceDefinition Definition, string Version, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>The definition whose objects and semantics back this one: itself, except events.k8s.io (core events).</summary>
    public ResourceDefinition Stored { get; init; } = Definition;

    public string StoredVersion { get; init; } = Version;

    public static ResourceRequest? Parse(ResourceRegistry registry, string group, string version, IReadOnlyList<string> rest)
    {
        if (rest.Count == 0)
        {
            return null;
        }
        string? ns = null;
        var parts = rest;
        // "/namespaces/x/status" is the namespace's own subresource, "/namespaces/x/pods" a namespaced collection.
        var namespaceSubresource = group.Length == 0 && rest.Count == 3 && rest[2] is "status" or "finalize";
        if (rest.Count >= 3 && rest[0] == "namespaces" && !namespaceSubresource)
        {
            ns = rest[1];
            parts = [.. rest.Skip(2)];
        }
        var definition = registry.Find(group, version, parts[0]);
        if (definition is null || parts.Count > 3)
        {
            return null;
        }
        if (ns is not null && !definition.Namespaced)
        {
            return null;
        }
        var request = new ResourceRequest(definition, version, ns, parts.Count > 1 ? parts[1] : null, parts.Count > 2 ? parts[2] : null);
        return EventsV1.Applies(definition) && registry.Find("", "v1", "events") is { } core
            ? request with { Stored = core, StoredVersion = "v1" }
            : request;
    }
}
