using System.Text.Json.Nodes;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Admission;

/// <summary>
/// The DefaultStorageClass admission plugin: a claim created without <c>spec.storageClassName</c> (absent, not "")
/// gets the class annotated <c>storageclass.kubernetes.io/is-default-class: "true"</c>; with several, the newest, then
/// the first by name.
/// </summary>
internal static class DefaultStorageClass
{
    public const string Annotation = "storageclass.kubernetes.io/is-default-class";

    public static void Apply(ObjectStore store, JsonObject claim)
    {
        var spec = claim["spec"] as JsonObject;
        if (spec is null || spec.ContainsKey("storageClassName"))
        {
            return;
        }
        var chosen = store.List("storageclasses.storage.k8s.io", null).Items
            .Where(sc => sc["metadata"]?["annotations"]?[Annotation]?.ToString() == "true")
            .OrderByDescending(sc => ObjectMeta.Str(sc, "creationTimestamp"), StringComparer.Ordinal)
            .ThenBy(ObjectMeta.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (chosen is not null)
        {
            spec["storageClassName"] = ObjectMeta.Name(chosen);
        }
    }
}
