using System.Text.Json.Nodes;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Bench.KubeClient.Startup;

/// <summary>The same capabilities as the official probe, through Cdi.Kube, so a native build shows they work there too.</summary>
internal static class OursProbe
{
    private const string Ns = "default";

    public static async Task<int> RunAsync(Cdi.Kube.Rest.KubeClient client)
    {
        var failures = 0;
        async Task Try(string name, Func<Task<string>> body)
        {
            try
            {
                Console.WriteLine($"cap={name} ok {await body().ConfigureAwait(false)}");
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"cap={name} FAIL {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        }

        var lease = "probe-" + Guid.NewGuid().ToString("N")[..8];
        await Try("get-typed", async () => (await client.GetAsync(KubeResources.Namespaces, Ns).ConfigureAwait(false)).Metadata.Uid ?? "");
        await Try("lease-create", async () => (await client.CreateAsync(KubeResources.Leases, new Lease
        {
            Metadata = new ObjectMeta { Name = lease, Namespace = Ns },
            Spec = new LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15, RenewTime = DateTimeOffset.UtcNow },
        }).ConfigureAwait(false)).Metadata.ResourceVersion ?? "");
        await Try("lease-replace", async () =>
        {
            var current = await client.GetAsync(KubeResources.Leases, lease, Ns).ConfigureAwait(false);
            return (await client.UpdateAsync(KubeResources.Leases, current with { Spec = current.Spec! with { HolderIdentity = "b" } })
                .ConfigureAwait(false)).Spec?.HolderIdentity ?? "";
        });
        await Try("patch-merge", async () => (await client.PatchAsync(KubeResources.Leases, lease, Ns, PatchType.Merge,
            """{"metadata":{"labels":{"a":"b"}}}""").ConfigureAwait(false)).Metadata.Labels?["a"] ?? "");
        await Try("patch-json", async () => (await client.PatchAsync(KubeResources.Leases, lease, Ns, PatchType.Json,
            """[{"op":"replace","path":"/spec/holderIdentity","value":"c"}]""").ConfigureAwait(false)).Spec?.HolderIdentity ?? "");
        await Try("patch-apply", async () => (await client.PatchAsync(KubeResources.Leases, lease, Ns, PatchType.Apply,
            """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"LEASE"},"spec":{"holderIdentity":"d"}}""".Replace("LEASE", lease, StringComparison.Ordinal),
            new PatchOptions { FieldManager = "probe", Force = true }).ConfigureAwait(false)).Spec?.HolderIdentity ?? "");
        await Try("lease-delete", async () =>
        {
            await client.DeleteAsync(KubeResources.Leases, lease, Ns).ConfigureAwait(false);
            return lease;
        });
        await Try("not-found-error", async () =>
            await client.TryGetAsync(KubeResources.ConfigMaps, "does-not-exist", Ns).ConfigureAwait(false) is null ? "404 as null" : "no error?");
        await Try("logs", async () =>
        {
            try
            {
                return await client.GetPodLogsAsync(Ns, "does-not-exist").ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return "404 (the call path works; no pod)";
            }
        });
        var dataVolumes = KubeResources.Unstructured("cdi.kubevirt.io", "v1beta1", "datavolumes", true, "DataVolume");
        var dv = "probe-" + Guid.NewGuid().ToString("N")[..8];
        await Try("cr-create-jsonobject", async () =>
        {
            var body = JsonNode.Parse("""
                {"apiVersion":"cdi.kubevirt.io/v1beta1","kind":"DataVolume","metadata":{"name":"NAME","namespace":"default"},
                 "spec":{"source":{"blank":{}},"storage":{"resources":{"requests":{"storage":"1Mi"}}}}}
                """.Replace("NAME", dv, StringComparison.Ordinal))!.AsObject();
            return (await client.CreateAsync(dataVolumes, body).ConfigureAwait(false))["metadata"]!["uid"]!.GetValue<string>();
        });
        await Try("cr-get-jsonobject", async () =>
            (await client.GetAsync(dataVolumes, dv, Ns).ConfigureAwait(false))["metadata"]!["name"]!.GetValue<string>());
        await Try("cr-list-jsonobject", async () => $"{(await client.ListAsync(dataVolumes, Ns).ConfigureAwait(false)).Items.Count} items");
        await Try("cr-delete", async () =>
        {
            await client.DeleteAsync(dataVolumes, dv, Ns).ConfigureAwait(false);
            return dv;
        });
        await Try("watch-empty", async () =>
        {
            var events = 0;
            await foreach (var _ in client.WatchAsync(KubeResources.ConfigMaps, Ns,
                               new WatchOptions { LabelSelector = "none=none", TimeoutSeconds = 1, AllowWatchBookmarks = false }).ConfigureAwait(false)) events++;
            return $"{events} events";
        });
        var watched = "probe-" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = watched, Namespace = Ns } }).ConfigureAwait(false);
        await Try("watch", async () =>
        {
            var events = 0;
            await foreach (var _ in client.WatchAsync(KubeResources.ConfigMaps, Ns,
                               new WatchOptions { FieldSelector = "metadata.name=" + watched, TimeoutSeconds = 1 }).ConfigureAwait(false)) events++;
            return $"{events} events";
        });
        await client.DeleteAsync(KubeResources.ConfigMaps, watched, Ns).ConfigureAwait(false);
        return failures == 0 ? 0 : 1;
    }
}
