using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Tests.Node;

/// <summary>
/// A pod's projected service-account token, used the in-cluster way by the real cdi binary (<c>cdi doctor dump</c>
/// reads pods, claims, events ... and lists what it was refused): it authenticates as the pod's service account and
/// gets exactly what that account's Role grants.
/// </summary>
[Collection(NodeClusterCollection.Name)]
public sealed class ServiceAccountTokenTests(NodeClusterFixture cluster)
{
    private KubeClient Client => cluster.Client;

    [Fact]
    public async Task A_pod_reaches_the_api_server_as_its_service_account_and_only_with_its_roles_grants()
    {
        var ns = await cluster.NewNamespaceAsync();
        var manifest = Path.Combine(cluster.Directory, ns + "-rbac.yaml");
        await File.WriteAllTextAsync(manifest, $$"""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: doctor, namespace: {{ns}}}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pod-lister, namespace: {{ns}}}
            rules:
            - {apiGroups: [""], resources: [pods], verbs: [list]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: doctor-pods, namespace: {{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-lister}
            subjects:
            - {kind: ServiceAccount, name: doctor}
            """);
        var (exit, output) = await Kubectl.RunAsync(cluster.KubeconfigPath, "apply", "-f", manifest);
        exit.Should().Be(0, output);

        var pod = NodeObjects.Pod(ns, "dump", cluster.Context.CdiImage, ["cdi", "doctor", "dump"]);
        await Client.CreateAsync(KubeResources.Pods, pod with { Spec = pod.Spec! with { ServiceAccountName = "doctor" } });
        var unmounted = NodeObjects.Pod(ns, "no-token", cluster.Context.CdiImage, ["cdi", "doctor", "dump"]);
        await Client.CreateAsync(KubeResources.Pods, unmounted with { Spec = unmounted.Spec! with { ServiceAccountName = "doctor", AutomountServiceAccountToken = false } });

        var orphan = NodeObjects.Pod(ns, "ghost", cluster.Context.CdiImage, ["cdi", "--help"]);
        await Client.CreateAsync(KubeResources.Pods, orphan with { Spec = orphan.Spec! with { ServiceAccountName = "ghost" } });

        await PhaseAsync(ns, "dump", "Succeeded");
        var log = await Client.GetPodLogsAsync(ns, "dump");
        log.Should().MatchRegex("\"name\":\\s*\"dump\"", "listing pods is granted: the dump holds the pod itself");
        log.Should().Contain("persistentvolumeclaims (403 Forbidden)").And.Contain("storageclasses (403 Forbidden)").And.Contain("nodes (403 Forbidden)");
        log.Should().NotContain("pods (403");

        var token = await File.ReadAllTextAsync(Path.Combine(PodPaths.PodDirectory(cluster.Directory, ns, "dump"), "serviceaccount", "token"));
        token.Split('.').Should().HaveCount(3);
        File.GetUnixFileMode(Path.Combine(PodPaths.PodDirectory(cluster.Directory, ns, "dump"), "serviceaccount", "token"))
            .Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await File.ReadAllTextAsync(Path.Combine(PodPaths.PodDirectory(cluster.Directory, ns, "dump"), "serviceaccount", "namespace"))).Should().Be(ns);

        // automountServiceAccountToken: false leaves the pod without credentials (and without the admin's kubeconfig).
        await PhaseAsync(ns, "no-token", "Failed");
        (await Client.GetPodLogsAsync(ns, "no-token")).Should().Contain("no kubeconfig found");
        Directory.Exists(Path.Combine(PodPaths.PodDirectory(cluster.Directory, ns, "no-token"), "serviceaccount")).Should().BeFalse();

        // A pod whose service account does not exist waits for it, as for a missing secret.
        var waiting = await NodeWait.ForAsync(() => Client.TryGetAsync(KubeResources.Pods, "ghost", ns),
            p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Message?.Contains("serviceaccount \"ghost\" not found", StringComparison.Ordinal) == true,
            "pod ghost waiting for its service account");
        waiting.Status!.Phase.Should().Be("Pending");
        waiting.Status.ContainerStatuses![0].State!.Waiting!.Reason.Should().Be("ContainerCreating");

        // The token is bound to its pod: once the pod is gone it no longer authenticates.
        (await Kubectl.RunAsync(cluster.KubeconfigPath, "get", "pods", "-n", ns, "--token", token)).ExitCode.Should().Be(0);
        await Client.DeleteAsync(KubeResources.Pods, "dump", ns);
        (await Cdi.Testing.Poll.UntilAsync(async () => await Client.TryGetAsync(KubeResources.Pods, "dump", ns) is null, TimeSpan.FromSeconds(40)))
            .Should().BeTrue("the deleted pod goes away");
        var (revokedExit, revoked) = await Kubectl.RunAsync(cluster.KubeconfigPath, "get", "pods", "-n", ns, "--token", token);
        revokedExit.Should().Be(1);
        revoked.Should().Contain("Unauthorized");
    }

    private Task<Pod> PhaseAsync(string ns, string name, string phase) =>
        NodeWait.ForAsync(() => Client.TryGetAsync(KubeResources.Pods, name, ns), p => p.Status?.Phase == phase, $"pod {name} {phase}", seconds: 60);
}
