using System.Text;
using System.Text.Json.Nodes;

namespace Cdi.Cluster.ApiServer;

/// <summary>
/// The defaulting Kubernetes applies to every object it decodes (create and update), for the fields cdi and kubectl
/// read back: pod and container policies, claim and volume modes, storage class policies, and Secret
/// <c>stringData</c>, which is write-only and folded into <c>data</c>.
/// </summary>
internal static class ApiDefaults
{
    public static void Apply(string groupResource, JsonObject obj)
    {
        switch (groupResource)
        {
            case "pods":
                Pod(obj);
                break;
            case "persistentvolumeclaims":
                Set(Spec(obj), "volumeMode", "Filesystem");
                break;
            case "persistentvolumes":
                Set(Spec(obj), "volumeMode", "Filesystem");
                Set(Spec(obj), "persistentVolumeReclaimPolicy", "Retain");
                break;
            case "storageclasses.storage.k8s.io":
                Set(obj, "reclaimPolicy", "Delete");
                Set(obj, "volumeBindingMode", "Immediate");
                break;
            case "secrets":
                Secret(obj);
                break;
        }
    }

    private static void Pod(JsonObject pod)
    {
        var spec = Spec(pod);
        Set(spec, "restartPolicy", "Always");
        Set(spec, "terminationGracePeriodSeconds", 30L);
        Set(spec, "dnsPolicy", "ClusterFirst");
        Set(spec, "schedulerName", "default-scheduler");
        Set(spec, "serviceAccountName", "default");
        Set(spec, "serviceAccount", spec["serviceAccountName"]?.ToString() ?? "default");
        Set(spec, "securityContext", new JsonObject());
        foreach (var c in PodDefaults.Containers(pod))
        {
            var image = c["image"]?.ToString() ?? "";
            var tagged = image.LastIndexOf(':') > image.LastIndexOf('/');
            Set(c, "imagePullPolicy", !tagged || image.EndsWith(":latest", StringComparison.Ordinal) ? "Always" : "IfNotPresent");
            Set(c, "terminationMessagePath", "/dev/termination-log");
            Set(c, "terminationMessagePolicy", "File");
        }
    }

    private static void Secret(JsonObject secret)
    {
        Set(secret, "type", "Opaque");
        if (secret["stringData"] is not JsonObject plain)
        {
            return;
        }
        var data = secret["data"] as JsonObject ?? [];
        foreach (var (k, v) in plain)
        {
            data[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(v?.ToString() ?? ""));
        }
        secret["data"] = data;
        secret.Remove("stringData");
    }

    private static JsonObject Spec(JsonObject obj)
    {
        if (obj["spec"] is JsonObject spec)
        {
            return spec;
        }
        var created = new JsonObject();
        obj["spec"] = created;
        return created;
    }

    private static void Set(JsonObject o, string field, JsonNode value)
    {
        if (o[field] is null)
        {
            o[field] = value;
        }
    }
}
