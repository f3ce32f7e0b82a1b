using System.Reflection;
using System.Text.Json.Nodes;
using Cdi.Cluster.Serialization;

namespace Cdi.Cluster.Crds;

/// <summary>The CRDs the project ships in deploy/crds/, embedded in this assembly and installed at every start.</summary>
internal static class EmbeddedCrds
{
    public static IReadOnlyList<JsonObject> Load()
    {
        var assembly = typeof(EmbeddedCrds).Assembly;
        var crds = new List<JsonObject>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            crds.AddRange(YamlJson.ParseAll(reader.ReadToEnd()).OfType<JsonObject>()
                .Where(o => string.Equals(o["kind"]?.GetValue<string>(), "CustomResourceDefinition", StringComparison.Ordinal)));
        }
        return crds;
    }
}
