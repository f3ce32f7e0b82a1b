namespace Cdi.Cluster.Discovery;

/// <summary>The resources served right now: built-ins plus CRDs, which come and go at runtime.</summary>
internal sealed class ResourceRegistry
{
    private readonly Lock _gate = new();
    private Dictionary<string, ResourceDefinition> _byGroupResource;

    public ResourceRegistry(IEnumerable<ResourceDefinition> builtIns)
    {
        _byGroupResource = builtIns.ToDictionary(d => d.GroupResource, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<ResourceDefinition> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _byGroupResource.Values];
            }
        }
    }

    public ResourceDefinition? Find(string group, string version, string plural)
    {
        lock (_gate)
        {
            var key = group.Length == 0 ? plural : plural + "." + group;
            return _byGroupResource.TryGetValue(key, out var d) && d.Versions.Contains(version, StringComparer.Ordinal) ? d : null;
        }
    }

    public ResourceDefinition? FindByGroupResource(string groupResource)
    {
        lock (_gate)
        {
            return _byGroupResource.GetValueOrDefault(groupResource);
        }
    }

    public ResourceDefinition? FindByKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        lock (_gate)
        {
            return _byGroupResource.Values.FirstOrDefault(d =>
                string.Equals(d.Group, group, StringComparison.Ordinal) && string.Equals(d.Kind, kind, StringComparison.Ordinal) &&
                d.Versions.Contains(version, StringComparer.Ordinal));
        }
    }

    public void Put(ResourceDefinition definition)
    {
        lock (_gate)
        {
            _byGroupResource = new Dictionary<string, ResourceDefinition>(_byGroupResource, StringComparer.Ordinal)
            {
                [definition.GroupResource] = definition,
            };
        }
    }

    public void Remove(string groupResource)
    {
        lock (_gate)
        {
            var next = new Dictionary<string, ResourceDefinition>(_byGroupResource, StringComparer.Ordinal);
            if (next.TryGetValue(groupResource, out var d) && d.IsCustom)
            {
                next.Remove(groupResource);
                _byGroupResource = next;
            }
        }
    }
}
