using System.Text.Json.Nodes;
using Cdi.Api.Config;
using Cdi.Api.DataVolumes;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Snapshot;

/// <summary>
/// Everything the doctor reads, as one immutable value: filled live from a cluster or from a dump, then analysed
/// without any I/O. Secrets are never part of it (their values are not needed to diagnose anything).
/// </summary>
public sealed record ClusterSnapshot
{
    public IReadOnlyList<DataVolume> DataVolumes { get; init; } = [];
    public IReadOnlyList<PersistentVolumeClaim> Claims { get; init; } = [];
    public IReadOnlyList<Pod> Pods { get; init; } = [];
    public IReadOnlyList<Event> Events { get; init; } = [];
    public IReadOnlyList<StorageClass> StorageClasses { get; init; } = [];
    public IReadOnlyList<PersistentVolume> PersistentVolumes { get; init; } = [];
    public IReadOnlyList<ResourceQuota> ResourceQuotas { get; init; } = [];
    public IReadOnlyList<LimitRange> LimitRanges { get; init; } = [];
    public IReadOnlyList<VolumeAttachment> VolumeAttachments { get; init; } = [];
    public IReadOnlyList<Node> Nodes { get; init; } = [];

    /// <summary>NetworkPolicies as raw objects: the doctor reads only their selectors and policy types.</summary>
    public IReadOnlyList<JsonObject> NetworkPolicies { get; init; } = [];

    /// <summary>The <c>config</c> CDIConfig, when the cluster has one.</summary>
    public CdiConfig? CdiConfig { get; init; }

    /// <summary>The legacy <c>cdi/cdi-insecure-registries</c> ConfigMap, when present.</summary>
    public ConfigMap? LegacyInsecureRegistries { get; init; }

    /// <summary>When it was taken, so rules can tell a claim pending for a moment from one stuck; null when unknown.</summary>
    public DateTimeOffset? TakenAt { get; init; }

    /// <summary>The API server's <c>gitVersion</c> (v1.23.4, say), when known.</summary>
    public string? ServerVersion { get; init; }

    /// <summary>The last lines of worker pods' logs, by <c>namespace/pod</c>.</summary>
    public IReadOnlyDictionary<string, string> WorkerLogs { get; init; } = new Dictionary<string, string>();

    /// <summary>Kinds that could not be read (not served, forbidden), so the report can say what it did not see.</summary>
    public IReadOnlyList<string> Unreadable { get; init; } = [];
}
