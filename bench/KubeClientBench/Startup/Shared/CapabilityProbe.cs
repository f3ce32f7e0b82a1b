using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Cdi.Bench.KubeClient.Startup;

/// <summary>
/// Tries, against a live API server, each client feature cdi uses, and prints "cap=NAME ok|FAIL reason". Built twice,
/// against KubernetesClient (OFFICIAL_FULL) and KubernetesClient.Aot, so that an AOT publish shows what works there.
/// </summary>
internal static class CapabilityProbe
{
    private const string Ns = "default";

    public static async Task<int> RunAsync(Kubernetes client)
    {
        var failures = 0;
        var lease = "probe-" + Guid.NewGuid().ToString("N")[..8];
        async Task Try(string name, Func<Task<string>> body)
        {
            try
            {
                Console.WriteLine($"cap={name} ok {await body().ConfigureAwait(false)}");
            }
            catch (Exception e)
            {
                failures++;
                var reason = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
                for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
                    reason += $" <- {inner.GetType().Name}: {inner.Message.Split('\n')[0]}";
                Console.WriteLine($"cap={name} FAIL {reason}");
            }
        }

        await Try("get-typed", async () => (await client.CoreV1.ReadNamespaceAsync(Ns).ConfigureAwait(false)).Metadata.Uid);
        await Try("lease-create", async () => (await client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = lease },
            Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15, RenewTime = DateTime.UtcNow },
        }, Ns).ConfigureAwait(false)).Metadata.ResourceVersion);
        await Try("lease-replace", async () =>
        {
            var current = await client.CoordinationV1.ReadNamespacedLeaseAsync(lease, Ns).ConfigureAwait(false);
            current.Spec.HolderIdentity = "b";
            return (await client.CoordinationV1.ReplaceNamespacedLeaseAsync(current, lease, Ns).ConfigureAwait(false)).Spec.HolderIdentity;
        });
        await Try("patch-merge", async () => (await client.CoordinationV1.PatchNamespacedLeaseAsync(
            new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), lease, Ns).ConfigureAwait(false)).Metadata.Labels["a"]);
        await Try("patch-json", async () => (await client.CoordinationV1.PatchNamespacedLeaseAsync(
            new V1Patch("""[{"op":"replace","path":"/spec/holderIdentity","value":"c"}]""", V1Patch.PatchType.JsonPatch), lease, Ns)
            .ConfigureAwait(false)).Spec.HolderIdentity);
        await Try("patch-apply", async () => (await client.CoordinationV1.PatchNamespacedLeaseAsync(
            new V1Patch("""{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"LEASE"},"spec":{"holderIdentity":"d"}}""".Replace("LEASE", lease, StringComparison.Ordinal),
                V1Patch.PatchType.ApplyPatch), lease, Ns, fieldManager: "probe", force: true).ConfigureAwait(false)).Spec.HolderIdentity);
        await Try("lease-delete", async () =>
        {
            await client.CoordinationV1.DeleteNamespacedLeaseAsync(lease, Ns).ConfigureAwait(false);
            return lease;
        });
        await Try("not-found-error", async () =>
        {
            try
            {
                await client.CoreV1.ReadNamespacedConfigMapAsync("does-not-exist", Ns).ConfigureAwait(false);
                return "no error?";
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return "404 as HttpOperationException";
            }
        });
        await Try("logs-stream", async () =>
        {
            try
            {
                await using var log = await client.CoreV1.ReadNamespacedPodLogAsync("does-not-exist", Ns).ConfigureAwait(false);
                return "stream";
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return "404 (the call path works; no pod)";
            }
        });
        await Try("cr-list-object", async () =>
        {
            var list = await client.CustomObjects.ListNamespacedCustomObjectAsync("cdi.kubevirt.io", "v1beta1", Ns, "datavolumes").ConfigureAwait(false);
            return list.GetType().Name;
        });
        var dv = "probe-" + Guid.NewGuid().ToString("N")[..8];
#if !OFFICIAL_FULL
        if (Environment.GetEnvironmentVariable("PROBE_ADD_RESOLVER") == "1")
            await Try("add-json-resolver", () =>
            {
                KubernetesJson.AddJsonOptions(o => o.TypeInfoResolverChain.Add(ProbeJsonContext.Default));
                return Task.FromResult("ProbeJsonContext added to KubernetesJson's options");
            });
#endif
        await Try("cr-create-jsonobject", async () =>
        {
            var body = JsonNode.Parse("""
                {"apiVersion":"cdi.kubevirt.io/v1beta1","kind":"DataVolume","metadata":{"name":"NAME"},
                 "spec":{"source":{"blank":{}},"storage":{"resources":{"requests":{"storage":"1Mi"}}}}}
                """.Replace("NAME", dv + "-o", StringComparison.Ordinal))!.AsObject();
            var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, "cdi.kubevirt.io", "v1beta1", Ns, "datavolumes")
                .ConfigureAwait(false);
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync("cdi.kubevirt.io", "v1beta1", Ns, "datavolumes", dv + "-o").ConfigureAwait(false);
            return created.GetType().Name;
        });
        await Try("cr-create-jsonelement", async () =>
        {
            // KubernetesClient.Aot serializes only the types its own context knows; JsonElement is one of them.
            using var doc = JsonDocument.Parse("""
                {"apiVersion":"cdi.kubevirt.io/v1beta1","kind":"DataVolume","metadata":{"name":"NAME"},
                 "spec":{"source":{"blank":{}},"storage":{"resources":{"requests":{"storage":"1Mi"}}}}}
                """.Replace("NAME", dv, StringComparison.Ordinal));
            var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync(doc.RootElement.Clone(), "cdi.kubevirt.io", "v1beta1", Ns, "datavolumes")
                .ConfigureAwait(false);
            return created.GetType().Name;
        });
        await Try("cr-get-typed-jsonobject", async () =>
        {
            var got = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("cdi.kubevirt.io", "v1beta1", Ns, "datavolumes", dv)
                .ConfigureAwait(false);
            return got["metadata"]!["name"]!.GetValue<string>();
        });
        await Try("cr-get-jsonelement", async () =>
        {
            var got = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>("cdi.kubevirt.io", "v1beta1", Ns, "datavolumes", dv)
                .ConfigureAwait(false);
            return got.GetProperty("metadata").GetProperty("name").GetString() ?? "";
        });
        await Try("cr-delete", async () =>
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync("cdi.kubevirt.io", "v1beta1", Ns, "datavolumes", dv).ConfigureAwait(false);
            return dv;
        });
        await Try("watch-empty", async () =>
        {
            // A watch that ends (timeoutSeconds) before any event arrives.
#if OFFICIAL_FULL
            var events = 0;
            await foreach (var (_, _) in client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, labelSelector: "none=none", timeoutSeconds: 1)
                               .ConfigureAwait(false)) events++;
            return $"{events} events";
#else
            using var response = await client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(Ns, labelSelector: "none=none", watch: true,
                timeoutSeconds: 1).ConfigureAwait(false);
            return $"no watch helper; body {response.Body?.GetType().Name ?? "null"}";
#endif
        });
        var watched = "probe-" + Guid.NewGuid().ToString("N")[..8];
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = watched } }, Ns).ConfigureAwait(false);
        await Try("watch", async () =>
        {
#if OFFICIAL_FULL
            var events = 0;
            await foreach (var (_, _) in client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, fieldSelector: "metadata.name=" + watched, timeoutSeconds: 1).ConfigureAwait(false)) events++;
            return $"{events} events through WatchListNamespacedConfigMapAsync";
#else
            // KubernetesClient.Aot has no Watcher/WatchAsync: the caller gets the raw stream and parses the frames itself.
            using var response = await client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(Ns, fieldSelector: "metadata.name=" + watched, watch: true, timeoutSeconds: 1)
                .ConfigureAwait(false);
            return $"no watch helper; ListNamespacedConfigMap(watch: true) returned {response.Body?.GetType().Name ?? "null"}";
#endif
        });
        await client.CoreV1.DeleteNamespacedConfigMapAsync(watched, Ns).ConfigureAwait(false);
        await Try("in-cluster-config-api", () => Task.FromResult($"IsInCluster={KubernetesClientConfiguration.IsInCluster()}"));
        return failures == 0 ? 0 : 1;
    }
}
