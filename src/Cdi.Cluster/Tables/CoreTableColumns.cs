using System.Text.Json.Nodes;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Tables;

/// <summary>The columns <c>kubectl get</c> shows for built-in kinds (the same headers Kubernetes' printers use).</summary>
internal static class CoreTableColumns
{
    public static IReadOnlyList<TableColumn> For(string groupResource) => groupResource switch
    {
        "pods" =>
        [
            Name(),
            new("Ready", "string", "", 0, (o, _) => PodReady(o)),
            new("Status", "string", "", 0, (o, _) => PodStatus(o)),
            new("Restarts", "string", "", 0, (o, _) => (o["status"]?["containerStatuses"] as JsonArray ?? []).Sum(c => ObjectMeta.Long(c?["restartCount"])).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Age(),
            Path("IP", "status.podIP", 1),
            Path("Node", "spec.nodeName", 1),
        ],
        "persistentvolumeclaims" =>
        [
            Name(),
            Path("Status", "status.phase"),
            Path("Volume", "spec.volumeName"),
            Path("Capacity", "status.capacity.storage"),
            new("Access Modes", "string", "", 0, (o, _) => AccessModes(o["status"]?["accessModes"])),
            Path("StorageClass", "spec.storageClassName"),
            Path("VolumeAttributesClass", "spec.volumeAttributesClassName"),
            Age(),
            Path("VolumeMode", "spec.volumeMode", 1),
        ],
        "persistentvolumes" =>
        [
            Name(),
            Path("Capacity", "spec.capacity.storage"),
            new("Access Modes", "string", "", 0, (o, _) => AccessModes(o["spec"]?["accessModes"])),
            Path("Reclaim Policy", "spec.persistentVolumeReclaimPolicy"),
            Path("Status", "status.phase"),
            new("Claim", "string", "", 0, (o, _) => o["spec"]?["claimRef"] is JsonObject c ? $"{c["namespace"]}/{c["name"]}" : ""),
            Path("StorageClass", "spec.storageClassName"),
            Path("VolumeAttributesClass", "spec.volumeAttributesClassName"),
            Path("Reason", "status.reason"),
            Age(),
            Path("VolumeMode", "spec.volumeMode", 1),
        ],
        "storageclasses.storage.k8s.io" =>
        [
            new("Name", "string", "name", 0, (o, _) => ObjectMeta.Name(o) +
                (o["metadata"]?["annotations"]?["storageclass.kubernetes.io/is-default-class"]?.ToString() == "true" ? " (default)" : "")),
            Path("Provisioner", "provisioner"),
            Path("ReclaimPolicy", "reclaimPolicy"),
            Path("VolumeBindingMode", "volumeBindingMode"),
            new("AllowVolumeExpansion", "string", "", 0, (o, _) => o["allowVolumeExpansion"]?.ToString() ?? "false"),
            Age(),
        ],
        "namespaces" => [Name(), Path("Status", "status.phase"), Age()],
        "configmaps" => [Name(), new("Data", "integer", "", 0, (o, _) => Count(o["data"]) + Count(o["binaryData"])), Age()],
        "secrets" => [Name(), Path("Type", "type"), new("Data", "integer", "", 0, (o, _) => Count(o["data"])), Age()],
        "serviceaccounts" => [Name(), Age()],
        "services" =>
        [
            Name(),
            new("Type", "string", "", 0, (o, _) => o["spec"]?["type"]?.ToString() ?? "ClusterIP"),
            new("Cluster-IP", "string", "", 0, (o, _) => o["spec"]?["clusterIP"]?.ToString() ?? "<none>"),
            new("External-IP", "string", "", 0, (_, _) => "<none>"),
            new("Port(s)", "string", "", 0, (o, _) => string.Join(",", (o["spec"]?["ports"] as JsonArray ?? []).Select(p => $"{p?["port"]}/{p?["protocol"]?.ToString() ?? "TCP"}"))),
            Age(),
        ],
        "resourcequotas" =>
        [
            Name(),
            Age(),
            new("Request", "string", "", 0, (o, _) => QuotaColumn(o, requests: true)),
            new("Limit", "string", "", 0, (o, _) => QuotaColumn(o, requests: false)),
        ],
        "limitranges" => [Name(), new("Created At", "date", "", 0, (o, _) => o["metadata"]?["creationTimestamp"]?.DeepClone())],
        "nodes" =>
        [
            Name(),
            new("Status", "string", "", 0, (o, _) => (o["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.ToString() == "Ready" && c["status"]?.ToString() == "True") ? "Ready" : "NotReady"),
            new("Roles", "string", "", 0, (_, _) => "control-plane"),
            Age(),
            Path("Version", "status.nodeInfo.kubeletVersion"),
        ],
        "events" =>
        [
            new("Last Seen", "string", "", 0, (o, now) => HumanDuration.Age((o["lastTimestamp"] ?? o["eventTime"] ?? o["metadata"]?["creationTimestamp"])?.ToString(), now)),
            Path("Type", "type"),
            Path("Reason", "reason"),
            new("Object", "string", "", 0, (o, _) => $"{o["involvedObject"]?["kind"]?.ToString().ToLowerInvariant()}/{o["involvedObject"]?["name"]}"),
            Path("Message", "message"),
        ],
        "volumesnapshots.snapshot.storage.k8s.io" =>
        [
            Name(),
            Path("ReadyToUse", "status.readyToUse"),
            Path("SourcePVC", "spec.source.persistentVolumeClaimName"),
            Path("SourceSnapshotContent", "spec.source.volumeSnapshotContentName"),
            Path("RestoreSize", "status.restoreSize"),
            Path("SnapshotClass", "spec.volumeSnapshotClassName"),
            Path("SnapshotContent", "status.boundVolumeSnapshotContentName"),
            Age(),
        ],
        "volumesnapshotclasses.snapshot.storage.k8s.io" => [Name(), Path("Driver", "driver"), Path("DeletionPolicy", "deletionPolicy"), Age()],
        "leases.coordination.k8s.io" => [Name(), Path("Holder", "spec.holderIdentity"), Age()],
        "roles.rbac.authorization.k8s.io" or "clusterroles.rbac.authorization.k8s.io" => [Name(), CreatedAt()],
        "rolebindings.rbac.authorization.k8s.io" or "clusterrolebindings.rbac.authorization.k8s.io" =>
        [
            Name(),
            new("Role", "string", "", 0, (o, _) => $"{o["roleRef"]?["kind"]}/{o["roleRef"]?["name"]}"),
            Age(),
            new("Users", "string", "", 1, (o, _) => Subjects(o, "User")),
            new("Groups", "string", "", 1, (o, _) => Subjects(o, "Group")),
            new("ServiceAccounts", "string", "", 1, (o, _) => Subjects(o, "ServiceAccount")),
        ],
        "customresourcedefinitions.apiextensions.k8s.io" => [Name(), new("Created At", "date", "", 0, (o, _) => o["metadata"]?["creationTimestamp"]?.DeepClone())],
        "volumeattachments.storage.k8s.io" =>
        [
            Name(),
            Path("Attacher", "spec.attacher"),
            Path("PV", "spec.source.persistentVolumeName"),
            Path("Node", "spec.nodeName"),
            new("Attached", "string", "", 0, (o, _) => o["status"]?["attached"]?.ToString() ?? "false"),
            Age(),
        ],
        _ => [Name(), Age()],
    };

    private static TableColumn Name() => new("Name", "string", "name", 0, (o, _) => ObjectMeta.Name(o));

    private static TableColumn Age() => new("Age", "string", "", 0, (o, now) => HumanDuration.Age(ObjectMeta.Str(o, "creationTimestamp"), now));

    private static TableColumn Path(string name, string path, int priority = 0) =>
        new(name, "string", "", priority, (o, _) => ObjectMeta.PathString(o, path) ?? (priority == 0 ? "" : "<none>"));

    private static TableColumn CreatedAt() => new("Created At", "date", "", 0, (o, _) => o["metadata"]?["creationTimestamp"]?.DeepClone());

    /// <summary>A binding's subjects of one kind, as Kubernetes' wide output lists them (service accounts as ns/name).</summary>
    private static string Subjects(JsonObject o, string kind) => string.Join(", ", (o["subjects"] as JsonArray ?? [])
        .Where(s => s?["kind"]?.ToString() == kind)
        .Select(s => kind == "ServiceAccount" && s?["namespace"]?.ToString() is { Length: > 0 } ns ? $"{ns}/{s["name"]}" : s?["name"]?.ToString()));

    private static int Count(JsonNode? n) => n is JsonObject o ? o.Count : 0;

    private static string AccessModes(JsonNode? modes) => string.Join(",", (modes as JsonArray ?? []).Select(m => m?.ToString() switch
    {
        "ReadWriteOnce" => "RWO",
        "ReadOnlyMany" => "ROX",
        "ReadWriteMany" => "RWX",
        "ReadWriteOncePod" => "RWOP",
        var other => other,
    }));

    private static string PodReady(JsonObject o)
    {
        var total = (o["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = (o["status"]?["containerStatuses"] as JsonArray ?? []).Count(c => c?["ready"]?.GetValue<bool>() == true);
        return $"{ready}/{total}";
    }

    private static string PodStatus(JsonObject o)
    {
        if (ObjectMeta.IsDeleting(o))
        {
            return "Terminating";
        }
        var reason = o["status"]?["reason"]?.ToString() ?? o["status"]?["phase"]?.ToString() ?? "Unknown";
        // As kubectl's pod printer: a waiting container's reason wins, then a terminated one's (Completed, Error,
        // or ExitCode:N), else the pod's reason or phase.
        foreach (var c in o["status"]?["containerStatuses"] as JsonArray ?? [])
        {
            var waiting = c?["state"]?["waiting"]?["reason"]?.ToString();
            if (!string.IsNullOrEmpty(waiting))
            {
                return waiting;
            }
            if (c?["state"]?["terminated"] is JsonObject terminated)
            {
                var why = terminated["reason"]?.ToString();
                reason = !string.IsNullOrEmpty(why) ? why : $"ExitCode:{ObjectMeta.Long(terminated["exitCode"])}";
            }
        }
        return reason;
    }

    private static string QuotaColumn(JsonObject o, bool requests)
    {
        var hard = o["status"]?["hard"] as JsonObject ?? o["spec"]?["hard"] as JsonObject ?? [];
        var used = o["status"]?["used"] as JsonObject;
        var parts = hard
            .Where(p => p.Key.StartsWith("limits.", StringComparison.Ordinal) != requests)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}: {used?[p.Key]?.ToString() ?? "0"}/{p.Value}");
        return string.Join(", ", parts);
    }
}
