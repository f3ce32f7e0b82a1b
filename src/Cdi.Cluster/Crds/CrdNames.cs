namespace Cdi.Cluster.Crds;

internal static class CrdNames
{
    public const string GroupResource = "customresourcedefinitions.apiextensions.k8s.io";
}
