using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cdi.Kube.Models;

/// <summary>Reads metadata from typed objects and unstructured <see cref="JsonObject"/>s alike.</summary>
public static class ObjectMetaAccessor
{
    public static ObjectMeta Get<T>(T obj) where T : class => obj switch
    {
        IKubeObject typed => typed.Metadata,
        JsonObject json => json["metadata"] is JsonObject meta
            ? meta.Deserialize(KubeJsonContext.Default.ObjectMeta) ?? new ObjectMeta()
            : new ObjectMeta(),
        _ => throw new NotSupportedException($"{typeof(T).Name} is neither IKubeObject nor JsonObject"),
    };

    /// <summary>"namespace/name", or "name" for cluster-scoped objects: the key informers and queues use.</summary>
    public static string Key<T>(T obj) where T : class => KeyOf(Get(obj));

    public static string KeyOf(ObjectMeta meta) =>
        string.IsNullOrEmpty(meta.Namespace) ? meta.Name ?? "" : $"{meta.Namespace}/{meta.Name}";
}
