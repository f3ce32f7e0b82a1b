using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Cdi.Api;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Snapshot;

/// <summary>Writes a snapshot as a <c>kind: List</c> that kubectl and <see cref="DumpReader"/> both read.</summary>
public static class DumpWriter
{
    public static void Write(ClusterSnapshot snapshot, Stream output)
    {
        var kube = KubeJsonContext.Default;
        var items = new JsonArray();
        AddAll(items, snapshot.DataVolumes, ApiJsonContext.Default.DataVolume);
        AddAll(items, snapshot.Claims, kube.PersistentVolumeClaim);
        AddAll(items, snapshot.Pods, kube.Pod);
        AddAll(items, snapshot.Events, kube.Event);
        AddAll(items, snapshot.StorageClasses, kube.StorageClass);
        AddAll(items, snapshot.PersistentVolumes, kube.PersistentVolume);
        AddAll(items, snapshot.ResourceQuotas, kube.ResourceQuota);
        AddAll(items, snapshot.LimitRanges, kube.LimitRange);
        AddAll(items, snapshot.VolumeAttachments, kube.VolumeAttachment);
        AddAll(items, snapshot.Nodes, kube.Node);
        foreach (var policy in snapshot.NetworkPolicies) items.Add(policy.DeepClone());
        if (snapshot.CdiConfig is { } config) items.Add(JsonSerializer.SerializeToNode(config, ApiJsonContext.Default.CdiConfig));
        if (snapshot.LegacyInsecureRegistries is { } legacy) items.Add(JsonSerializer.SerializeToNode(legacy, kube.ConfigMap));
        var extras = new DumpExtras
        {
            TakenAt = snapshot.TakenAt,
            ServerVersion = snapshot.ServerVersion,
            WorkerLogs = snapshot.WorkerLogs.Count > 0 ? new(snapshot.WorkerLogs) : null,
            Unreadable = snapshot.Unreadable.Count > 0 ? [.. snapshot.Unreadable] : null,
        };
        var list = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
            ["cdiDoctor"] = JsonSerializer.SerializeToNode(extras, DumpJsonContext.Default.DumpExtras),
        };
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        list.WriteTo(writer);
        writer.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void AddAll<T>(JsonArray into, IEnumerable<T> objects, JsonTypeInfo<T> type)
    {
        foreach (var o in objects) into.Add(JsonSerializer.SerializeToNode(o, type));
    }
}
