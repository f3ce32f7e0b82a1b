using Cdi.Cluster.Tests.Kubectl;

namespace Cdi.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class PrinterColumnTests(SharedCluster shared)
{
    private LocalCluster Cluster => shared.Cluster;

    private KubectlRunner K => Cluster.Kubectl;

    [Fact]
    public async Task DataVolumes_show_phase_progress_restarts_and_age()
    {
        var ns = await Cluster.NamespaceAsync("dv");
        await K.ApplyAsync("""
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: DataVolume
            metadata: {name: fedora}
            spec:
              source: {http: {url: "http://example.com/fedora.qcow2"}}
              contentType: kubevirt
              storage: {resources: {requests: {storage: 5Gi}}}
            """, "-n", ns);
        await K.OkAsync("patch", "dv", "fedora", "-n", ns, "--subresource=status", "--type=merge", "-p",
            "{\"status\":{\"phase\":\"ImportInProgress\",\"progress\":\"45.12%\",\"restartCount\":1}}");
        var table = await K.OkAsync("get", "dv", "-n", ns);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().MatchRegex(@"^NAME\s+PHASE\s+PROGRESS\s+RESTARTS\s+AGE$");
        lines[1].Should().MatchRegex(@"^fedora\s+ImportInProgress\s+45\.12%\s+1\s+\d+s$");
        (await K.OkAsync("get", "datavolumes.v1alpha1.cdi.kubevirt.io", "-n", ns)).Should().Contain("fedora");
        (await K.OkAsync("get", "all", "-n", ns)).Should().Contain("datavolume.cdi.kubevirt.io/fedora");
        (await K.OkAsync("explain", "dv.spec.contentType")).Should().Contain("kubevirt").And.Contain("archive");
    }

    [Fact]
    public async Task DataVolume_schema_refuses_an_unknown_content_type_and_unknown_fields_unless_told_to_prune()
    {
        var ns = await Cluster.NamespaceAsync("dvschema");
        var bad = await K.RunWithInputAsync("""
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: DataVolume
            metadata: {name: bad}
            spec: {source: {blank: {}}, contentType: iso, storage: {}}
            """, "apply", "-f", "-", "-n", ns);
        bad.ExitCode.Should().NotBe(0);
        bad.Stderr.Should().Contain("Unsupported value: \"iso\"");
        const string Unknown = """
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: DataVolume
            metadata: {name: pruned}
            spec: {source: {blank: {}}, bogus: 1, storage: {anything: goes, resources: {requests: {storage: 1Gi}}}}
            """;
        var strict = await K.RunWithInputAsync(Unknown, "apply", "-f", "-", "-n", ns);
        strict.ExitCode.Should().NotBe(0);
        strict.Stderr.Should().Contain("DataVolume in version \"v1beta1\" cannot be handled as a DataVolume: strict decoding error: unknown field \"spec.bogus\"");
        var warned = await K.RunWithInputAsync(Unknown, "apply", "-f", "-", "-n", ns, "--validate=warn");
        warned.ExitCode.Should().Be(0, warned.Output);
        warned.Stderr.Should().Contain("Warning: unknown field \"spec.bogus\"");
        var spec = await K.OkAsync("get", "dv", "pruned", "-n", ns, "-o", "jsonpath={.spec}");
        spec.Should().NotContain("bogus").And.Contain("anything");
    }

    [Fact]
    public async Task Storage_classes_include_the_default_local_class()
    {
        var ns = await Cluster.NamespaceAsync("defaultsc");
        await K.ApplyAsync("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: plain}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n", "-n", ns);
        (await K.OkAsync("get", "pvc", "plain", "-n", ns, "-o", "jsonpath={.spec.storageClassName}")).Should().Be("local");
        var output = await K.OkAsync("get", "sc");
        output.Should().MatchRegex(@"local \(default\)\s+cdi.local/hostpath\s+Delete\s+Immediate");
        output.Should().MatchRegex(@"local-wffc\s+cdi.local/hostpath\s+Delete\s+WaitForFirstConsumer");
    }

    [Fact]
    public async Task Claims_and_volumes_show_their_columns()
    {
        var ns = await Cluster.NamespaceAsync("pvc");
        await K.ApplyAsync("""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data}
            spec:
              accessModes: [ReadWriteOnce]
              storageClassName: local
              resources: {requests: {storage: 2Gi}}
            """, "-n", ns);
        var pv = "pv-" + ns;
        await K.ApplyAsync($$"""
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: {{pv}}}
            spec:
              capacity: {storage: 2Gi}
              accessModes: [ReadWriteOnce]
              persistentVolumeReclaimPolicy: Delete
              storageClassName: local
              claimRef: {namespace: {{ns}}, name: data}
              hostPath: {path: /tmp/{{pv}}}
            """);
        await K.OkAsync("patch", "pv", pv, "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Bound\"}}");
        await K.OkAsync("patch", "pvc", "data", "-n", ns, "--type=merge", "-p", $"{{\"spec\":{{\"volumeName\":\"{pv}\"}}}}");
        await K.OkAsync("patch", "pvc", "data", "-n", ns, "--subresource=status", "--type=merge", "-p",
            "{\"status\":{\"phase\":\"Bound\",\"accessModes\":[\"ReadWriteOnce\"],\"capacity\":{\"storage\":\"2Gi\"}}}");
        var claims = await K.OkAsync("get", "pvc", "-n", ns);
        claims.Should().MatchRegex(@"NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS");
        claims.Should().MatchRegex($@"data\s+Bound\s+{pv}\s+2Gi\s+RWO\s+local");
        var volumes = await K.OkAsync("get", "pv", pv);
        volumes.Should().MatchRegex($@"{pv}\s+2Gi\s+RWO\s+Delete\s+Bound\s+{ns}/data\s+local");
    }

    [Fact]
    public async Task Pods_show_ready_status_and_restarts_like_kubectl()
    {
        var ns = await Cluster.NamespaceAsync("podcols");
        await K.ApplyAsync("apiVersion: v1\nkind: Pod\nmetadata: {name: done}\nspec:\n  containers: [{name: c, image: cdi.local/cdi:latest}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: pulling}\nspec:\n  containers: [{name: c, image: quay.io/x:1}]\n", "-n", ns);
        await K.OkAsync("patch", "pod", "done", "-n", ns, "--subresource=status", "--type=merge", "-p",
            "{\"status\":{\"phase\":\"Succeeded\",\"containerStatuses\":[{\"name\":\"c\",\"ready\":false,\"restartCount\":2,\"image\":\"x\",\"imageID\":\"\",\"state\":{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}}}]}}");
        await K.OkAsync("patch", "pod", "pulling", "-n", ns, "--subresource=status", "--type=merge", "-p",
            "{\"status\":{\"containerStatuses\":[{\"name\":\"c\",\"ready\":false,\"restartCount\":0,\"image\":\"x\",\"imageID\":\"\",\"state\":{\"waiting\":{\"reason\":\"ErrImagePull\"}}}]}}");
        var table = await K.OkAsync("get", "pods", "-n", ns);
        table.Should().MatchRegex(@"done\s+0/1\s+Completed\s+2\s+");
        table.Should().MatchRegex(@"pulling\s+0/1\s+ErrImagePull\s+0\s+");
    }

    [Fact]
    public async Task Volume_snapshots_are_served()
    {
        var ns = await Cluster.NamespaceAsync("snap");
        await K.ApplyAsync("apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\nmetadata: {name: s1}\nspec:\n  volumeSnapshotClassName: csi\n  source: {persistentVolumeClaimName: data}\n", "-n", ns);
        await K.OkAsync("patch", "vs", "s1", "-n", ns, "--subresource=status", "--type=merge", "-p", "{\"status\":{\"readyToUse\":true,\"restoreSize\":\"1Gi\"}}");
        (await K.OkAsync("get", "vs", "-n", ns)).Should().MatchRegex(@"s1\s+true\s+data\s+1Gi\s+csi");
    }

    [Fact]
    public async Task Quotas_and_limit_ranges_are_listed()
    {
        var ns = await Cluster.NamespaceAsync("quota");
        await K.ApplyAsync("""
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: compute}
            spec: {hard: {pods: "5", requests.storage: 10Gi}}
            ---
            apiVersion: v1
            kind: LimitRange
            metadata: {name: defaults}
            spec:
              limits: [{type: Container, default: {cpu: 500m, memory: 128Mi}}]
            """, "-n", ns);
        (await Eventually.TrueAsync(async () => (await K.OkAsync("get", "quota", "-n", ns)).Contains("pods: 0/5", StringComparison.Ordinal), TimeSpan.FromSeconds(30)))
            .Should().BeTrue();
        (await K.OkAsync("get", "limits", "-n", ns)).Should().Contain("defaults");
        (await K.OkAsync("describe", "quota", "compute", "-n", ns)).Should().MatchRegex(@"requests\.storage\s+0\s+10Gi");
    }

    [Fact]
    public async Task A_crd_applied_at_runtime_is_served_with_its_printer_columns_and_short_name()
    {
        var ns = await Cluster.NamespaceAsync("crd");
        await K.ApplyAsync("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.test.cdi.io}
            spec:
              group: test.cdi.io
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wdg], categories: [all]}
              versions:
              - name: v1
                served: true
                storage: true
                subresources: {status: {}}
                additionalPrinterColumns:
                - {name: Size, type: integer, jsonPath: .spec.size}
                - {name: Color, type: string, jsonPath: .spec.color, priority: 1}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec: {type: object, properties: {size: {type: integer}, color: {type: string}}}
                      status: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """);
        await K.OkAsync("wait", "--for=condition=established", "crd/widgets.test.cdi.io", "--timeout=30s");
        await K.ApplyAsync("apiVersion: test.cdi.io/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3, color: red}\n", "-n", ns);
        var table = await K.OkAsync("get", "wdg", "-n", ns);
        table.Should().MatchRegex(@"NAME\s+SIZE\s*\n");
        table.Should().MatchRegex(@"w1\s+3");
        (await K.OkAsync("get", "wdg", "-n", ns, "-o", "wide")).Should().MatchRegex(@"w1\s+3\s+red");
        await K.ApplyAsync("apiVersion: test.cdi.io/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 4, color: red}\n", "-n", ns);
        (await K.OkAsync("get", "widget", "w1", "-n", ns, "-o", "jsonpath={.spec.size} {.metadata.generation}")).Should().Be("4 2");
        await K.OkAsync("delete", "crd", "widgets.test.cdi.io");
        (await K.RunAsync("get", "widgets.test.cdi.io", "-n", ns)).ExitCode.Should().NotBe(0);
    }
}
