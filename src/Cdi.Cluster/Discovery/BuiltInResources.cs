namespace Cdi.Cluster.Discovery;

/// <summary>The built-in kinds this API server serves (a subset of Kubernetes 1.32: what cdi and kubectl touch).</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ResourceDefinition> All { get; } =
    [
        Core("namespaces", "namespace", "Namespace", false, ["ns"], hasStatus: true),
        Core("pods", "pod", "Pod", true, ["po"], ["all"], hasStatus: true, subresources: ["log", "binding"]),
        Core("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, ["pvc"], hasStatus: true),
        Core("persistentvolumes", "persistentvolume", "PersistentVolume", false, ["pv"], hasStatus: true),
        Core("events", "event", "Event", true, ["ev"]),
        Core("configmaps", "configmap", "ConfigMap", true, ["cm"]),
        Core("secrets", "secret", "Secret", true),
        Core("services", "service", "Service", true, ["svc"], ["all"], hasStatus: true),
        Core("serviceaccounts", "serviceaccount", "ServiceAccount", true, ["sa"], subresources: ["token"]),
        Core("resourcequotas", "resourcequota", "ResourceQuota", true, ["quota"], hasStatus: true),
        Core("limitranges", "limitrange", "LimitRange", true, ["limits"]),
        Core("nodes", "node", "Node", false, ["no"], hasStatus: true),
        Core("endpoints", "endpoints", "Endpoints", true, ["ep"]),
        Grouped("events.k8s.io", "v1", "events", "event", "Event", true, ["ev"]),
        Grouped("storage.k8s.io", "v1", "storageclasses", "storageclass", "StorageClass", false, ["sc"]),
        Grouped("storage.k8s.io", "v1", "volumeattachments", "volumeattachment", "VolumeAttachment", false, hasStatus: true),
        Grouped("storage.k8s.io", "v1", "csidrivers", "csidriver", "CSIDriver", false),
        // The external-snapshotter's kinds, served as if their CRDs were installed (cdi clones through snapshots).
        Grouped("snapshot.storage.k8s.io", "v1", "volumesnapshots", "volumesnapshot", "VolumeSnapshot", true, ["vs"], hasStatus: true),
        Grouped("snapshot.storage.k8s.io", "v1", "volumesnapshotcontents", "volumesnapshotcontent", "VolumeSnapshotContent", false, ["vsc", "vscs"], hasStatus: true),
        Grouped("snapshot.storage.k8s.io", "v1", "volumesnapshotclasses", "volumesnapshotclass", "VolumeSnapshotClass", false, ["vsclass", "vsclasses"]),
        Grouped("coordination.k8s.io", "v1", "leases", "lease", "Lease", true),
        Grouped("apps", "v1", "deployments", "deployment", "Deployment", true, ["deploy"], ["all"], hasStatus: true),
        CreateOnly("authorization.k8s.io", "selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview", false),
        CreateOnly("authorization.k8s.io", "selfsubjectrulesreviews", "selfsubjectrulesreview", "SelfSubjectRulesReview", false),
        CreateOnly("authorization.k8s.io", "subjectaccessreviews", "subjectaccessreview", "SubjectAccessReview", false),
        CreateOnly("authorization.k8s.io", "localsubjectaccessreviews", "localsubjectaccessreview", "LocalSubjectAccessReview", true),
        CreateOnly("authentication.k8s.io", "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview", false),
        Grouped("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true),
        Grouped("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true),
        Grouped("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false),
        Grouped("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false),
        Grouped("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, ["crd", "crds"], hasStatus: true),
    ];

    /// <summary>A review kind: POSTed, answered, never stored (so only "create" is discovered).</summary>
    private static ResourceDefinition CreateOnly(string group, string plural, string singular, string kind, bool namespaced) =>
        Grouped(group, "v1", plural, singular, kind, namespaced) with { Verbs = ["create"] };

    private static ResourceDefinition Core(string plural, string singular, string kind, bool namespaced, string[]? shortNames = null,
        string[]? categories = null, bool hasStatus = false, string[]? subresources = null) =>
        Grouped("", "v1", plural, singular, kind, namespaced, shortNames, categories, hasStatus, subresources);

    private static ResourceDefinition Grouped(string group, string version, string plural, string singular, string kind, bool namespaced,
        string[]? shortNames = null, string[]? categories = null, bool hasStatus = false, string[]? subresources = null) => new()
        {
            Group = group,
            Versions = [version],
            Plural = plural,
            Singular = singular,
            Kind = kind,
            Namespaced = namespaced,
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            HasStatus = hasStatus,
            Subresources = subresources ?? [],
        };
}
