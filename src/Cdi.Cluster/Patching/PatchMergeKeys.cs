using System.Text.Json.Nodes;

namespace Cdi.Cluster.Patching;

/// <summary>
/// The patchMergeKey / patchStrategy of the core API's lists, by field name (a simplification: Kubernetes keys them
/// by type, but for the kinds served here a field name means one thing, except <c>ports</c>, told apart by content).
/// </summary>
internal static class PatchMergeKeys
{
    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["imagePullSecrets"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["topologySpreadConstraints"] = "topologyKey",
        ["hostAliases"] = "ip",
    };

    // Lists of scalars merged as sets rather than replaced.
    private static readonly HashSet<string> ScalarSets = new(StringComparer.Ordinal) { "finalizers" };

    public static string? KeyFor(string field, JsonArray? original, JsonArray patch)
    {
        if (string.Equals(field, "ports", StringComparison.Ordinal))
        {
            var sample = patch.OfType<JsonObject>().Concat((original ?? []).OfType<JsonObject>()).FirstOrDefault();
            return sample is null ? null : sample.ContainsKey("containerPort") ? "containerPort" : "port";
        }
        return Keys.GetValueOrDefault(field);
    }

    public static bool IsScalarSet(string field) => ScalarSets.Contains(field);
}
