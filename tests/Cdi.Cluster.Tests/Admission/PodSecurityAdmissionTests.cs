using Cdi.Cluster.Tests.Kubectl;

namespace Cdi.Cluster.Tests.Admission;

/// <summary>
/// The PodSecurity admission step through the real kubectl: the namespace's enforce label picks the level, the refusal
/// is 403 with Kubernetes' "violates PodSecurity" message, a pod that meets the level is admitted.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PodSecurityAdmissionTests(SharedCluster shared)
{
    private KubectlRunner K => shared.Cluster.Kubectl;

    private async Task<string> NamespaceAsync(string level, string? version = null)
    {
        var ns = "psa-" + Guid.NewGuid().ToString("N")[..6];
        await K.ApplyAsync($$"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {{ns}}
              labels:
                pod-security.kubernetes.io/enforce: {{level}}
            {{(version is null ? "" : $"    pod-security.kubernetes.io/enforce-version: {version}")}}
            """);
        return ns;
    }

    private const string Compliant = """
        apiVersion: v1
        kind: Pod
        metadata: {name: good}
        spec:
          securityContext: {runAsNonRoot: true, runAsUser: 107, seccompProfile: {type: RuntimeDefault}}
          containers:
          - name: app
            image: cdi
            securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}
          volumes:
          - {name: data, persistentVolumeClaim: {claimName: data}}
          - {name: scratch, emptyDir: {}}
        """;

    [Fact]
    public async Task Restricted_admits_a_compliant_pod_and_names_every_violation_of_one_that_is_not()
    {
        var ns = await NamespaceAsync("restricted", "v1.32");
        (await K.RunWithInputAsync(Compliant, "create", "-f", "-", "-n", ns, "--dry-run=server")).ExitCode.Should().Be(0);

        var r = await K.RunWithInputAsync("""
            apiVersion: v1
            kind: Pod
            metadata: {name: bad}
            spec:
              hostNetwork: true
              securityContext: {runAsUser: 0, seccompProfile: {type: Unconfined}}
              containers:
              - name: a
                image: cdi
                ports: [{containerPort: 80, hostPort: 8080}]
                securityContext: {capabilities: {add: [SYS_ADMIN]}}
              - name: b
                image: cdi
                securityContext: {runAsNonRoot: false}
              volumes:
              - {name: share, nfs: {server: nfs.example.com, path: /exports}}
            """, "create", "-f", "-", "-n", ns);
        r.ExitCode.Should().Be(1);
        r.Stderr.Trim().Should().Be(
            "Error from server (Forbidden): error when creating \"STDIN\": pods \"bad\" is forbidden: violates PodSecurity \"restricted:v1.32\": "
            + "allowPrivilegeEscalation != false (containers \"a\", \"b\" must set securityContext.allowPrivilegeEscalation=false), "
            + "unrestricted capabilities (containers \"a\", \"b\" must set securityContext.capabilities.drop=[\"ALL\"]; container \"a\" must not include \"SYS_ADMIN\" in securityContext.capabilities.add), "
            + "host namespaces (hostNetwork=true), "
            + "hostPort (container \"a\" uses hostPort 8080), "
            + "restricted volume types (volume \"share\" uses restricted volume type \"nfs\"), "
            + "runAsNonRoot != true (container \"b\" must not set securityContext.runAsNonRoot=false; pod or container \"a\" must set securityContext.runAsNonRoot=true), "
            + "runAsUser=0 (pod must not set runAsUser=0), "
            + "seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")");
        (await K.OkAsync("get", "pods", "-n", ns, "-o", "name")).Should().BeEmpty();
    }

    [Fact]
    public async Task Baseline_refuses_only_what_baseline_forbids_and_unlabelled_namespaces_admit_anything()
    {
        var ns = await NamespaceAsync("baseline");
        const string Plain = """
            apiVersion: v1
            kind: Pod
            metadata: {name: plain}
            spec:
              containers: [{name: app, image: cdi}]
            """;
        (await K.RunWithInputAsync(Plain, "create", "-f", "-", "-n", ns, "--dry-run=server")).ExitCode.Should().Be(0, "baseline asks nothing of an ordinary pod");

        const string Privileged = """
            apiVersion: v1
            kind: Pod
            metadata: {name: priv}
            spec:
              containers:
              - {name: app, image: cdi, securityContext: {privileged: true, capabilities: {add: [CHOWN, NET_ADMIN]}}}
            """;
        var r = await K.RunWithInputAsync(Privileged, "create", "-f", "-", "-n", ns);
        r.Stderr.Trim().Should().Be(
            "Error from server (Forbidden): error when creating \"STDIN\": pods \"priv\" is forbidden: violates PodSecurity \"baseline:latest\": "
            + "non-default capabilities (container \"app\" must not include \"NET_ADMIN\" in securityContext.capabilities.add), "
            + "privileged (container \"app\" must not set securityContext.privileged=true)");

        var open = await shared.Cluster.NamespaceAsync("psa-none");
        (await K.RunWithInputAsync(Privileged, "create", "-f", "-", "-n", open, "--dry-run=server")).ExitCode.Should().Be(0, "no label, no level");
    }
}
