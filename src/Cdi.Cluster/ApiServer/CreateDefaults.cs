using System.Text.Json.Nodes;
using Cdi.Cluster.Discovery;

namespace Cdi.Cluster.ApiServer;

/// <summary>
/// What each kind's create strategy does to a new object in Kubernetes: status is not settable at creation for kinds
/// with a status subresource, and some kinds start in a known phase.
/// </summary>
internal static class CreateDefaults
{
    public static void Apply(ResourceDefinition d, JsonObject obj)
    {
        switch (d.GroupResource)
        {
            case "namespaces":
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                var labels = obj["metadata"]!["labels"] as JsonObject ?? [];
                labels["kubernetes.io/metadata.name"] = obj["metadata"]!["name"]!.GetValue<string>();
                obj["metadata"]!["labels"] = labels;
                break;
            case "pods":
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case "persistentvolumeclaims":
            case "persistentvolumes":
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case "services":
                obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                break;
            case "nodes":
            case "customresourcedefinitions.apiextensions.k8s.io":
                break;
            default:
                if (d.HasStatus)
                {
                    obj.Remove("status");
                }
                break;
        }
    }
}
