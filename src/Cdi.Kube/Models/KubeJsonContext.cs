using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cdi.Kube.Rest;

namespace Cdi.Kube.Models;

/// <summary>The one source-generated serializer context for everything the client reads and writes.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(KubeTimeConverter)])]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(KubeList<JsonObject>))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(DeleteOptions))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(KubeList<Namespace>))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(KubeList<Pod>))]
[JsonSerializable(typeof(PersistentVolumeClaim))]
[JsonSerializable(typeof(KubeList<PersistentVolumeClaim>))]
[JsonSerializable(typeof(PersistentVolume))]
[JsonSerializable(typeof(KubeList<PersistentVolume>))]
[JsonSerializable(typeof(StorageClass))]
[JsonSerializable(typeof(KubeList<StorageClass>))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(KubeList<Event>))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(KubeList<ConfigMap>))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(KubeList<Secret>))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(KubeList<Service>))]
[JsonSerializable(typeof(ResourceQuota))]
[JsonSerializable(typeof(KubeList<ResourceQuota>))]
[JsonSerializable(typeof(LimitRange))]
[JsonSerializable(typeof(KubeList<LimitRange>))]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(KubeList<Node>))]
[JsonSerializable(typeof(VolumeAttachment))]
[JsonSerializable(typeof(KubeList<VolumeAttachment>))]
[JsonSerializable(typeof(CSIDriver))]
[JsonSerializable(typeof(KubeList<CSIDriver>))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(KubeList<Lease>))]
[JsonSerializable(typeof(VolumeSnapshot))]
[JsonSerializable(typeof(KubeList<VolumeSnapshot>))]
public sealed partial class KubeJsonContext : JsonSerializerContext;
