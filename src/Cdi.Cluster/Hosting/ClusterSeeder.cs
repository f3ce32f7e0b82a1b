using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Crds;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Hosting;

/// <summary>
/// What a fresh cluster has: the system namespaces, the node, the bootstrap RBAC policy, the storage classes (first start only: a user may
/// delete or edit them), and the project's CRDs (every start, so an upgraded binary serves upgraded CRDs).
/// </summary>
internal sealed class ClusterSeeder(ObjectService objects, ClusterHostOptions options)
{
    public const string Provisioner = "cdi.local/hostpath";

    public void Seed(bool firstStart)
    {
        foreach (var crd in objects.Store.List(CrdNames.GroupResource, null).Items)
        {
            objects.Registry.Put(CrdReader.Read(crd));
        }
        var ns = Definition("", "namespaces");
        foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            if (objects.Store.Get(new ObjectKey("namespaces", "", name)) is null)
            {
                objects.Create(ns, "v1", null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, WriteOptions.Internal);
            }
        }
        PutNode();
        // Every start, when missing (as kube-apiserver reconciles its bootstrap policy): without them nobody but
        // system:masters could even read discovery.
        foreach (var (plural, obj) in DefaultRbac.Objects())
        {
            if (objects.Store.Get(new ObjectKey(plural + "." + Authorization.RbacNames.Group, "", ObjectMeta.Name(obj))) is null)
            {
                objects.Create(Definition(Authorization.RbacNames.Group, plural), "v1", null, obj, WriteOptions.Internal);
            }
        }
        if (firstStart)
        {
            var sc = Definition("storage.k8s.io", "storageclasses");
            objects.Create(sc, "v1", null, StorageClass("local", "Immediate", isDefault: true), WriteOptions.Internal);
            objects.Create(sc, "v1", null, StorageClass("local-wffc", "WaitForFirstConsumer", isDefault: false), WriteOptions.Internal);
        }
        var crds = Definition("apiextensions.k8s.io", "customresourcedefinitions");
        foreach (var crd in EmbeddedCrds.Load())
        {
            var name = ObjectMeta.Name(crd);
            if (objects.Store.Get(new ObjectKey(crds.GroupResource, "", name)) is null)
            {
                objects.Create(crds, "v1", null, crd, WriteOptions.Internal);
            }
            else
            {
                objects.Replace(crds, "v1", null, name, current =>
                {
                    var next = (JsonObject)crd.DeepClone();
                    next["metadata"] = current["metadata"]?.DeepClone();
                    return next;
                }, statusOnly: false, WriteOptions.Internal);
            }
        }
    }

    private ResourceDefinition Definition(string group, string plural) =>
        objects.Registry.Find(group, "v1", plural) ?? throw new InvalidOperationException($"{plural} is not served");

    private static JsonObject StorageClass(string name, string bindingMode, bool isDefault)
    {
        var meta = new JsonObject { ["name"] = name };
        if (isDefault)
        {
            meta["annotations"] = new JsonObject { ["storageclass.kubernetes.io/is-default-class"] = "true" };
        }
        return new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1",
            ["kind"] = "StorageClass",
            ["metadata"] = meta,
            ["provisioner"] = Provisioner,
            ["reclaimPolicy"] = "Delete",
            ["volumeBindingMode"] = bindingMode,
            ["allowVolumeExpansion"] = true,
        };
    }

    /// <summary>The one node, Ready, rewritten at every start (its heartbeat is "the API server is up").</summary>
    private void PutNode()
    {
        var now = ObjectMeta.Timestamp(objects.Clock.GetUtcNow());
        var cpu = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var resources = new JsonObject { ["cpu"] = cpu, ["memory"] = memory, ["pods"] = "110", ["ephemeral-storage"] = "100Gi" };
        var status = new JsonObject
        {
            ["capacity"] = resources.DeepClone(),
            ["allocatable"] = resources,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready",
                ["status"] = "True",
                ["reason"] = "KubeletReady",
                ["message"] = "cdi local node is ready",
                ["lastHeartbeatTime"] = now,
                ["lastTransitionTime"] = now,
            }),
            ["addresses"] = new JsonArray(
                new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" },
                new JsonObject { ["type"] = "Hostname", ["address"] = options.NodeName }),
            ["nodeInfo"] = new JsonObject
            {
                ["kubeletVersion"] = VersionInfo.GitVersion,
                ["operatingSystem"] = "linux",
                ["architecture"] = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "amd64",
                ["containerRuntimeVersion"] = "cdi-local://1",
            },
        };
        var node = Definition("", "nodes");
        if (objects.Store.Get(new ObjectKey("nodes", "", options.NodeName)) is null)
        {
            objects.Create(node, "v1", null, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = options.NodeName,
                    ["labels"] = new JsonObject
                    {
                        ["kubernetes.io/hostname"] = options.NodeName,
                        ["kubernetes.io/os"] = "linux",
                        ["node-role.kubernetes.io/control-plane"] = "",
                    },
                },
                ["status"] = status,
            }, WriteOptions.Internal);
        }
        else
        {
            objects.Replace(node, "v1", null, options.NodeName, current =>
            {
                current["status"] = status;
                return current;
            }, statusOnly: true, WriteOptions.Internal);
        }
    }
}
