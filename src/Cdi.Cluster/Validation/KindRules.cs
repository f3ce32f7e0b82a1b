using Cdi.Cluster.Discovery;

namespace Cdi.Cluster.Validation;

/// <summary>
/// The per-kind rules, keyed by group-resource. Kinds not listed (other built-ins, custom resources) get DNS-subdomain
/// names and metadata checks, as kube-apiserver gives custom resources.
/// </summary>
internal static class KindRules
{
    private static readonly KindRule Default = new(NameRules.Subdomain);

    private static readonly Dictionary<string, KindRule> Rules = new(StringComparer.Ordinal)
    {
        ["namespaces"] = new(NameRules.Label),
        ["services"] = new(NameRules.Dns1035Label),
        // Events only need names that are safe URL path segments (their generated names contain '.' and digits).
        ["events"] = new(NameRules.PathSegment),
        ["pods"] = new(NameRules.Subdomain, PodSpecValidator.Validate),
        ["persistentvolumes"] = new(NameRules.Subdomain, PersistentVolumeValidator.Validate),
        ["configmaps"] = new(NameRules.Subdomain, DataKeysValidator.ConfigMap),
        ["secrets"] = new(NameRules.Subdomain, DataKeysValidator.Secret),
        ["customresourcedefinitions.apiextensions.k8s.io"] = new(NameRules.Subdomain, CrdNameValidator.Validate),
        // RBAC names only need to be path segments ("system:discovery", "cdi:controller").
        ["roles.rbac.authorization.k8s.io"] = new(NameRules.PathSegment, RbacValidator.Role),
        ["clusterroles.rbac.authorization.k8s.io"] = new(NameRules.PathSegment, RbacValidator.Role),
        ["rolebindings.rbac.authorization.k8s.io"] = new(NameRules.PathSegment, RbacValidator.RoleBinding),
        ["clusterrolebindings.rbac.authorization.k8s.io"] = new(NameRules.PathSegment, RbacValidator.ClusterRoleBinding),
    };

    public static KindRule For(ResourceDefinition d) => Rules.GetValueOrDefault(d.GroupResource, Default);
}
