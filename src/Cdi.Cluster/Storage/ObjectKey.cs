namespace Cdi.Cluster.Storage;

/// <summary>Where an object lives: version-agnostic group-resource (<c>pods</c>, <c>datavolumes.cdi.kubevirt.io</c>), namespace ("" when cluster-scoped) and name.</summary>
internal readonly record struct ObjectKey(string GroupResource, string Namespace, string Name)
{
    /// <summary>Lists are ordered by namespace then name, as etcd's key order gives Kubernetes.</summary>
    public string SortKey => Namespace + "/" + Name;
}
