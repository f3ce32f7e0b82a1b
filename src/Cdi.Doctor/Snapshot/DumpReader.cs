using System.Text.Json;
using System.Text.Json.Nodes;
using Cdi.Api;
using Cdi.Api.Config;
using Cdi.Api.DataVolumes;
using Cdi.Controller.Settings;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Snapshot;

/// <summary>
/// Reads a snapshot from a dump: <c>cdi doctor dump</c>'s output or any <c>kubectl get … -o json</c> output (a List,
/// Lists of Lists, or one object). Kinds the doctor does not read are skipped; Secrets are dropped unread.
/// </summary>
public static class DumpReader
{
    /// <summary>Larger dumps are refused rather than read into memory (a real cluster's dump is a few MiB).</summary>
    public const long MaxBytes = 256L << 20;

    public static ClusterSnapshot ReadFile(string path)
    {
        FileInfo info;
        try
        {
            info = new FileInfo(path);
            if (!info.Exists) throw new DumpFormatException($"dump {path} does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new DumpFormatException($"cannot read dump {path}: {e.Message}", e);
        }
        if (info.Length > MaxBytes) throw new DumpFormatException($"dump {path} is {info.Length} bytes, more than the {MaxBytes} this reads");
        try
        {
            using var stream = info.OpenRead();
            return Read(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DumpFormatException($"cannot read dump {path}: {e.Message}", e);
        }
    }

    public static ClusterSnapshot Read(Stream stream, string name = "dump")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException e)
        {
            throw new DumpFormatException($"{name} is not JSON: {OneLine(e.Message)}", e);
        }
        if (root is not JsonObject top) throw new DumpFormatException($"{name} is not a Kubernetes object or List");
        var builder = new Builder();
        Collect(top, builder, name, "");
        return builder.Build(ReadExtras(top, name));
    }

    private static void Collect(JsonObject obj, Builder into, string name, string path)
    {
        var kind = obj["kind"] is JsonValue k && k.TryGetValue<string>(out var s) ? s : null;
        if (obj["items"] is JsonArray items && (kind is null || kind.EndsWith("List", StringComparison.Ordinal)))
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is JsonObject item) Collect(item, into, name, $"{path}items[{i}].");
            }
            return;
        }
        try
        {
            into.Add(kind, obj);
        }
        catch (JsonException e)
        {
            throw new DumpFormatException($"{name}: {path.TrimEnd('.')} ({kind}) cannot be read: {OneLine(e.Message)}", e);
        }
    }

    private static DumpExtras? ReadExtras(JsonObject top, string name)
    {
        if (top["cdiDoctor"] is not JsonObject extras) return null;
        try
        {
            var read = extras.Deserialize(DumpJsonContext.Default.DumpExtras);
            if (read is not null && read.Version != DumpExtras.CurrentVersion)
                throw new DumpFormatException($"{name}: cdiDoctor version {read.Version} is not supported (expected {DumpExtras.CurrentVersion})");
            return read;
        }
        catch (JsonException e)
        {
            throw new DumpFormatException($"{name}: cdiDoctor cannot be read: {OneLine(e.Message)}", e);
        }
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");

    private sealed class Builder
    {
        private readonly List<DataVolume> _dataVolumes = [];
        private readonly List<PersistentVolumeClaim> _claims = [];
        private readonly List<Pod> _pods = [];
        private readonly List<Event> _events = [];
        private readonly List<StorageClass> _classes = [];
        private readonly List<PersistentVolume> _volumes = [];
        private readonly List<ResourceQuota> _quotas = [];
        private readonly List<LimitRange> _limits = [];
        private readonly List<VolumeAttachment> _attachments = [];
        private readonly List<Node> _nodes = [];
        private readonly List<JsonObject> _policies = [];
        private CdiConfig? _config;
        private ConfigMap? _legacy;

        public void Add(string? kind, JsonObject obj)
        {
            var kube = KubeJsonContext.Default;
            switch (kind)
            {
                case "DataVolume": _dataVolumes.Add(obj.Deserialize(ApiJsonContext.Default.DataVolume)!); break;
                case "PersistentVolumeClaim": _claims.Add(obj.Deserialize(kube.PersistentVolumeClaim)!); break;
                case "Pod": _pods.Add(obj.Deserialize(kube.Pod)!); break;
                case "Event": _events.Add(obj.Deserialize(kube.Event)!); break;
                case "StorageClass": _classes.Add(obj.Deserialize(kube.StorageClass)!); break;
                case "PersistentVolume": _volumes.Add(obj.Deserialize(kube.PersistentVolume)!); break;
                case "ResourceQuota": _quotas.Add(obj.Deserialize(kube.ResourceQuota)!); break;
                case "LimitRange": _limits.Add(obj.Deserialize(kube.LimitRange)!); break;
                case "VolumeAttachment": _attachments.Add(obj.Deserialize(kube.VolumeAttachment)!); break;
                case "Node": _nodes.Add(obj.Deserialize(kube.Node)!); break;
                case "NetworkPolicy": _policies.Add((JsonObject)obj.DeepClone()); break;
                case "CDIConfig":
                    var config = obj.Deserialize(ApiJsonContext.Default.CdiConfig)!;
                    if (config.Metadata.Name == CdiConfig.SingletonName || _config is null) _config = config;
                    break;
                case "ConfigMap":
                    var map = obj.Deserialize(kube.ConfigMap)!;
                    if (map.Metadata.Name == LegacyInsecureRegistries.Name && map.Metadata.Namespace == LegacyInsecureRegistries.Namespace) _legacy = map;
                    break;
                default:
                    break; // Secrets and kinds the doctor does not read
            }
        }

        public ClusterSnapshot Build(DumpExtras? extras) => new()
        {
            DataVolumes = _dataVolumes,
            Claims = _claims,
            Pods = _pods,
            Events = _events,
            StorageClasses = _classes,
            PersistentVolumes = _volumes,
            ResourceQuotas = _quotas,
            LimitRanges = _limits,
            VolumeAttachments = _attachments,
            Nodes = _nodes,
            NetworkPolicies = _policies,
            CdiConfig = _config,
            LegacyInsecureRegistries = _legacy,
            TakenAt = extras?.TakenAt,
            ServerVersion = extras?.ServerVersion,
            WorkerLogs = extras?.WorkerLogs ?? [],
            Unreadable = extras?.Unreadable ?? [],
        };
    }
}
