using System.Globalization;
using System.Text.Json.Nodes;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Admission;

/// <summary>
/// A Service as the API server completes it: type ClusterIP, a cluster IP from 10.96.0.0/16 (nothing routes it here,
/// but clients and `kubectl get svc` expect one), ports with protocol TCP and targetPort = port.
/// </summary>
internal static class ServiceDefaults
{
    public static void Apply(ObjectStore store, JsonObject service)
    {
        var spec = service["spec"] as JsonObject ?? [];
        service["spec"] = spec;
        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
        }
        if (spec["type"]?.ToString() == "ExternalName" || !string.IsNullOrEmpty(spec["clusterIP"]?.ToString()))
        {
            return;
        }
        var used = store.List("services", null).Items
            .Select(s => s["spec"]?["clusterIP"]?.ToString())
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        for (var n = 10; n < 65_535; n++)
        {
            var ip = string.Create(CultureInfo.InvariantCulture, $"10.96.{n / 256}.{n % 256}");
            if (!used.Contains(ip))
            {
                spec["clusterIP"] = ip;
                spec["clusterIPs"] = new JsonArray(ip);
                spec["ipFamilies"] = new JsonArray("IPv4");
                spec["ipFamilyPolicy"] = "SingleStack";
                return;
            }
        }
    }
}
