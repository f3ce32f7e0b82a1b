using System.Text.Json.Nodes;
using Cdi.Testing;

namespace Cdi.Cli.Tests.DataVolumes;

/// <summary>
/// Issue 17: <c>cdi manifests</c> (deploy/, embedded) applies onto the local cluster with kubectl, its CRD schemas are
/// structural, and the controller's service account may do what the controller does and nothing it must not. A part
/// of the import tests' class: it shares their cluster.
/// </summary>
public sealed partial class DataVolumeImportTests
{
    private const string ControllerAccount = "system:serviceaccount:cdi:cdi-sa";

    [Fact]
    public void Manifests_apply_with_kubectl_and_rbac_grants_the_controller_exactly_what_it_needs()
    {
        var manifests = ProcessRunner.Run(RepoPaths.CdiScript, ["manifests"], timeout: TimeSpan.FromMinutes(10));
        manifests.ExitCode.Should().Be(0, manifests.Stderr);
        var file = Path.Combine(Cluster.Directory, "cdi-manifests.yaml");
        File.WriteAllText(file, manifests.Stdout);
        var applied = Cluster.Ok("apply", "-f", file);
        foreach (var expected in new[]
        {
            "namespace/cdi", "customresourcedefinition.apiextensions.k8s.io/datavolumes.cdi.kubevirt.io", "serviceaccount/cdi-sa",
            "clusterrole.rbac.authorization.k8s.io/cdi", "clusterrolebinding.rbac.authorization.k8s.io/cdi-sa", "role.rbac.authorization.k8s.io/cdi",
            "rolebinding.rbac.authorization.k8s.io/cdi-sa", "serviceaccount/cdi-uploadproxy", "serviceaccount/cdi-apiserver",
            "deployment.apps/cdi-deployment", "deployment.apps/cdi-uploadproxy", "deployment.apps/cdi-apiserver", "service/cdi-uploadproxy",
            "service/cdi-api", "cdi.cdi.kubevirt.io/cdi", "cdiconfig.cdi.kubevirt.io/config",
        })
        {
            applied.Should().Contain(expected);
        }
        applied.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(manifests.Stdout.Split("\n---\n").Length, "one line per object: every object was accepted");
        Cluster.Ok("-n", "cdi", "get", "deployments.apps", "cdi-deployment", "-o", "jsonpath={.spec.template.spec.serviceAccountName}").Should().Be("cdi-sa");
        // Applying again changes nothing: what kubectl apply reports for an installed cdi.
        Cluster.Ok("apply", "-f", file).Should().Contain("deployment.apps/cdi-deployment unchanged");

        foreach (var crd in new[] { "datavolumes", "cdis", "cdiconfigs", "storageprofiles" })
        {
            var json = JsonNode.Parse(Cluster.Ok("get", "crd", crd + ".cdi.kubevirt.io", "-o", "json"))!;
            foreach (var version in json["spec"]!["versions"]!.AsArray())
            {
                StructuralSchema.Violations(version!["schema"]!["openAPIV3Schema"]!.AsObject(), "openAPIV3Schema").Should().BeEmpty(crd);
            }
        }

        string CanIAs(string account, params string[] args) => Cluster.Kubectl(["auth", "can-i", .. args, "--as", account]).Stdout.Trim();
        string CanI(params string[] args) => CanIAs(ControllerAccount, args);
        var ns = Cluster.NewNamespace();
        foreach (var (verb, resource) in new[]
        {
            ("create", "pods"), ("delete", "pods"), ("watch", "pods"), ("create", "persistentvolumeclaims"), ("update", "persistentvolumeclaims"),
            ("delete", "persistentvolumeclaims"), ("create", "events"), ("list", "datavolumes.cdi.kubevirt.io"),
        })
        {
            CanI(verb, resource, "-n", ns).Should().Be("yes", $"the controller must {verb} {resource}");
        }
        CanI("update", "datavolumes.cdi.kubevirt.io", "--subresource=status", "-n", ns).Should().Be("yes");
        CanI("update", "cdiconfigs.cdi.kubevirt.io", "--subresource=status").Should().Be("yes");
        CanI("create", "storageprofiles.cdi.kubevirt.io").Should().Be("yes");
        CanI("watch", "cdis.cdi.kubevirt.io").Should().Be("yes");
        CanI("list", "storageclasses.storage.k8s.io").Should().Be("yes");
        CanI("update", "leases.coordination.k8s.io", "-n", "cdi").Should().Be("yes");
        CanI("create", "configmaps", "-n", "cdi").Should().Be("yes");

        // What it must not have: secrets, DataVolume specs, other namespaces' leases, nodes, RBAC, pods/exec.
        CanI("get", "secrets", "-n", ns).Should().Be("no");
        CanI("list", "secrets", "-n", "cdi").Should().Be("no");
        CanI("update", "datavolumes.cdi.kubevirt.io", "-n", ns).Should().Be("no");
        CanI("delete", "datavolumes.cdi.kubevirt.io", "-n", ns).Should().Be("no");
        CanI("update", "leases.coordination.k8s.io", "-n", ns).Should().Be("no");
        CanI("create", "configmaps", "-n", ns).Should().Be("no");
        CanI("list", "nodes").Should().Be("no");
        CanI("create", "clusterrolebindings.rbac.authorization.k8s.io").Should().Be("no");
        CanI("create", "pods", "--subresource=exec", "-n", ns).Should().Be("no");
        CanI("delete", "cdis.cdi.kubevirt.io/cdi").Should().Be("no");
        const string UploadProxy = "system:serviceaccount:cdi:cdi-uploadproxy", ApiServer = "system:serviceaccount:cdi:cdi-apiserver";
        CanIAs(UploadProxy, "get", "persistentvolumeclaims", "-n", ns).Should().Be("yes");
        CanIAs(UploadProxy, "list", "persistentvolumeclaims", "-n", ns).Should().Be("no");
        CanIAs(UploadProxy, "get", "pods", "-n", ns).Should().Be("no");
        CanIAs(ApiServer, "create", "subjectaccessreviews.authorization.k8s.io").Should().Be("yes");
        CanIAs(ApiServer, "create", "pods", "-n", ns).Should().Be("no");
        CanIAs(ApiServer, "update", "datavolumes.cdi.kubevirt.io", "-n", ns).Should().Be("no");

        // Imports keep working beside the installed objects (the namespace cdi now enforces restricted).
        Cluster.Ok("get", "namespace", "cdi", "-o", "jsonpath={.metadata.labels.pod-security\\.kubernetes\\.io/enforce}").Should().Be("restricted");
    }

    [Fact]
    public void Manifests_take_the_image_and_namespace_and_refuse_bad_ones_in_one_line()
    {
        var r = ProcessRunner.Run(RepoPaths.CdiScript, ["manifests", "--image", "registry.example.com/cdi/cdi:v1.2.3", "--namespace", "storage"], timeout: TimeSpan.FromMinutes(10));
        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Should().NotContain("cdi.local/cdi").And.NotContain("namespace: cdi\n").And.NotContain("--lease-namespace=cdi");
        r.Stdout.Should().Contain("image: registry.example.com/cdi/cdi:v1.2.3").And.Contain("--importer-image=registry.example.com/cdi/cdi:v1.2.3")
            .And.Contain("kind: Namespace\nmetadata:\n  name: storage\n").And.Contain("--lease-namespace=storage");
        r.Stdout.Should().Contain("name: cdi-sa\n    namespace: storage", "binding subjects follow the namespace");

        var bad = ProcessRunner.Run(RepoPaths.CdiScript, ["manifests", "--namespace", "Not_A_Label"]);
        bad.ExitCode.Should().Be(2);
        bad.Stdout.Should().BeEmpty();
        bad.Stderr.Trim().Should().Be("error: namespace \"Not_A_Label\" is not a DNS-1123 label (lowercase letters, digits and '-', at most 63)");
        var badImage = ProcessRunner.Run(RepoPaths.CdiScript, ["manifests", "--image", "cdi\nkind: Secret"]);
        badImage.ExitCode.Should().Be(2);
        badImage.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().StartWith("error: image ");
    }
}
