using Cdi.Cluster.Tests.Kubectl;

namespace Cdi.Cluster.Tests.Admission;

/// <summary>The local API server refuses bad DataVolumes (and bad quantities) at kubectl create, with one line that names the field.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DataVolumeAdmissionTests(SharedCluster shared)
{
    private LocalCluster Cluster => shared.Cluster;

    private KubectlRunner K => Cluster.Kubectl;

    private static string Dv(string name, string spec) => $"""
        apiVersion: cdi.kubevirt.io/v1beta1
        kind: DataVolume
        metadata: {"{"}name: {name}{"}"}
        spec: {spec}
        """;

    [Fact]
    public async Task A_bad_size_is_refused_at_create_with_one_line_naming_the_field()
    {
        var ns = await Cluster.NamespaceAsync("dvadmit");
        var bad = await K.RunWithInputAsync(Dv("bad", "{source: {blank: {}}, storage: {resources: {requests: {storage: 1Gb}}}}"), "create", "-f", "-", "-n", ns);
        bad.ExitCode.Should().NotBe(0);
        var lines = bad.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle(bad.Stderr);
        lines[0].Should().Contain("\"bad\" is invalid").And.Contain("spec.storage.resources.requests[storage]: Invalid value: \"1Gb\"");
        (await K.RunAsync("get", "dv", "bad", "-n", ns)).ExitCode.Should().NotBe(0, "nothing was stored");
    }

    [Fact]
    public async Task Two_sources_and_a_registry_url_without_its_scheme_are_refused()
    {
        var ns = await Cluster.NamespaceAsync("dvadmit2");
        var two = await K.RunWithInputAsync(Dv("two", "{source: {blank: {}, http: {url: 'http://example.com/a'}}, storage: {resources: {requests: {storage: 1Gi}}}}"), "create", "-f", "-", "-n", ns);
        two.ExitCode.Should().NotBe(0);
        two.Stderr.Should().Contain("spec.source: exactly one source is allowed, found http, blank");
        var registry = await K.RunWithInputAsync(Dv("reg", "{source: {registry: {url: 'quay.io/fedora'}}, storage: {resources: {requests: {storage: 1Gi}}}}"), "create", "-f", "-", "-n", ns);
        registry.ExitCode.Should().NotBe(0);
        registry.Stderr.Should().Contain("spec.source.registry.url").And.Contain("docker:// or oci-archive://");
    }

    [Fact]
    public async Task Fields_cdi_cannot_honor_are_refused_not_dropped()
    {
        var ns = await Cluster.NamespaceAsync("dvadmit3");
        var warm = await K.RunWithInputAsync(Dv("warm", "{source: {http: {url: 'http://example.com/a'}}, checkpoints: [{previous: '', current: 'c1'}], storage: {resources: {requests: {storage: 1Gi}}}}"),
            "create", "-f", "-", "-n", ns);
        warm.ExitCode.Should().NotBe(0);
        warm.Stderr.Should().Contain("spec.checkpoints is not supported");
        var s3 = await K.RunWithInputAsync(Dv("s3sum", "{source: {s3: {url: 'https://s3.example.com/b/disk.img', checksum: 'sha256:12'}}, storage: {resources: {requests: {storage: 1Gi}}}}"),
            "create", "-f", "-", "-n", ns);
        s3.ExitCode.Should().NotBe(0);
        s3.Stderr.Should().Contain("spec.source.s3.checksum").And.Contain("a sha256 checksum is 64 hex digits");
        var registrySum = await K.RunWithInputAsync(Dv("regsum", "{source: {registry: {url: 'docker://quay.io/containerdisks/fedora:40', checksum: 'sha256:0123'}}, storage: {resources: {requests: {storage: 1Gi}}}}"),
            "create", "-f", "-", "-n", ns);
        registrySum.ExitCode.Should().NotBe(0);
        registrySum.Stderr.Should().Contain("spec.source.registry.checksum is not supported").And.Contain("@sha256:");
        var proxy = await K.RunWithInputAsync("""
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: CDIConfig
            metadata: {name: proxied}
            spec: {importProxy: {HTTPSProxy: 'http://proxy:3128', trustedCAProxy: proxy-ca}}
            """, "create", "-f", "-");
        proxy.ExitCode.Should().NotBe(0);
        proxy.Stderr.Should().Contain("spec.importProxy.trustedCAProxy is not supported");
        (await K.RunAsync("get", "dv", "-n", ns, "-o", "name")).Stdout.Should().BeEmpty("nothing was stored");
    }

    [Fact]
    public async Task Volume_mode_from_storage_profile_is_admitted_and_a_made_up_mode_is_not()
    {
        var ns = await Cluster.NamespaceAsync("dvadmit4");
        var ok = await K.RunWithInputAsync(Dv("fromprofile", "{source: {blank: {}}, storage: {volumeMode: FromStorageProfile, resources: {requests: {storage: 1Gi}}}}"),
            "create", "-f", "-", "-n", ns);
        ok.ExitCode.Should().Be(0, ok.Stderr);
        var bad = await K.RunWithInputAsync(Dv("made-up", "{source: {blank: {}}, storage: {volumeMode: Raw, resources: {requests: {storage: 1Gi}}}}"),
            "create", "-f", "-", "-n", ns);
        bad.ExitCode.Should().NotBe(0);
        bad.Stderr.Should().Contain("spec.storage.volumeMode: Unsupported value: \"Raw\"").And.Contain("\"FromStorageProfile\"");
    }

    [Fact]
    public async Task The_spec_is_immutable_but_labels_are_not()
    {
        var ns = await Cluster.NamespaceAsync("dvadmit3");
        await K.RunWithInputAsync(Dv("keep", "{source: {http: {url: 'http://example.com/a'}}, storage: {resources: {requests: {storage: 1Gi}}}}"), "create", "-f", "-", "-n", ns);
        var changed = await K.RunAsync("patch", "dv", "keep", "-n", ns, "--type=merge", "-p", "{\"spec\":{\"source\":{\"http\":{\"url\":\"http://example.com/b\"}}}}");
        changed.ExitCode.Should().NotBe(0);
        changed.Stderr.Should().Contain("spec: a DataVolume's spec cannot be changed after creation");
        (await K.RunAsync("label", "dv", "keep", "-n", ns, "team=storage")).ExitCode.Should().Be(0);
        (await K.OkAsync("get", "dv", "keep", "-n", ns, "-o", "jsonpath={.spec.source.http.url}")).Should().Be("http://example.com/a");
    }

    [Fact]
    public async Task A_claim_with_a_bad_quantity_is_invalid_not_a_server_error()
    {
        var ns = await Cluster.NamespaceAsync("pvcadmit");
        var bad = await K.RunWithInputAsync("""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: bad}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10GB}}}
            """, "create", "-f", "-", "-n", ns);
        bad.ExitCode.Should().NotBe(0);
        bad.Stderr.Should().Contain("is invalid").And.Contain("spec.resources.requests[storage]: Invalid value: \"10GB\"").And.NotContain("InternalError");
    }
}
