using Cdi.Testing;

namespace Cdi.Cli.Tests.DataVolumes;

/// <summary>
/// Issue 17: importer pods pass the <c>restricted</c> Pod Security level, which the local cluster enforces from the
/// namespace label as a real cluster's PodSecurity admission does. A part of the import tests' class: it shares their cluster.
/// </summary>
public sealed partial class DataVolumeImportTests
{
    private string RestrictedNamespace()
    {
        var ns = "psa-" + Guid.NewGuid().ToString("N")[..8];
        Cluster.Apply($"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {ns}
              labels:
                pod-security.kubernetes.io/enforce: restricted
            """);
        return ns;
    }

    [Fact]
    public void Import_succeeds_in_a_restricted_namespace_and_a_privileged_pod_is_refused_with_the_reason()
    {
        var ns = RestrictedNamespace();

        // Refused first, so the namespace is known to enforce before the import is judged.
        var file = Path.Combine(Cluster.Directory, $"privileged-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: root-shell
            spec:
              containers:
              - name: shell
                image: busybox
                securityContext:
                  privileged: true
            """);
        var refused = Cluster.Kubectl("create", "-f", file, "-n", ns);
        refused.ExitCode.Should().NotBe(0);
        refused.Stderr.Trim().Should().Be(
            $"Error from server (Forbidden): error when creating \"{file}\": pods \"root-shell\" is forbidden: violates PodSecurity \"restricted:latest\": "
            + "allowPrivilegeEscalation != false (container \"shell\" must set securityContext.allowPrivilegeEscalation=false), "
            + "unrestricted capabilities (container \"shell\" must set securityContext.capabilities.drop=[\"ALL\"]), "
            + "privileged (container \"shell\" must not set securityContext.privileged=true), "
            + "runAsNonRoot != true (pod or container \"shell\" must set securityContext.runAsNonRoot=true), "
            + "seccompProfile (pod or container \"shell\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
        Cluster.Ok("get", "pods", "-n", ns, "-o", "name").Should().BeEmpty();

        Cluster.Apply(DataVolumeManifests.Http("restricted", env.Server.RangeUrl("disk.qcow2")), ns);
        // The importer pod is seen while it exists, to check what made it admissible (it is deleted on success).
        string podJson = "";
        LocalCluster.WaitUntil(() =>
        {
            var pod = Cluster.Kubectl("get", "pod", "importer-restricted", "-n", ns, "-o",
                "jsonpath={.spec.securityContext.runAsNonRoot} {.spec.securityContext.seccompProfile.type} {.spec.containers[0].securityContext.allowPrivilegeEscalation} {.spec.containers[0].securityContext.capabilities.drop} {.metadata.labels}");
            if (pod.ExitCode == 0 && pod.Stdout.Length > 0)
            {
                podJson = pod.Stdout;
                return true;
            }
            return Cluster.Kubectl("get", "dv", "restricted", "-n", ns, "-o", "jsonpath={.status.phase}").Stdout == "Succeeded";
        }, TimeSpan.FromMinutes(3), () => Cluster.Kubectl("describe", "dv", "restricted", "-n", ns).Stdout);
        Cluster.Ok("wait", "--for=jsonpath={.status.phase}=Succeeded", "dv/restricted", "-n", ns, "--timeout=180s");
        if (podJson.Length > 0)
        {
            podJson.Should().StartWith("true RuntimeDefault false [\"ALL\"]").And.Contain("\"cdi.kubevirt.io\":\"importer\"")
                .And.Contain("\"app\":\"containerized-data-importer\"").And.Contain("\"prometheus.cdi.kubevirt.io\":\"true\"");
        }
        Cluster.Ok("get", "events", "-n", ns).Should().NotContain("violates PodSecurity", "no worker pod was refused on the way");
    }
}
