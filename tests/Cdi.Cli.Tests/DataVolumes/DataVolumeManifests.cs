namespace Cdi.Cli.Tests.DataVolumes;

/// <summary>DataVolume manifests as users write them (seed 001's examples, seed 002's v1alpha1 form).</summary>
internal static class DataVolumeManifests
{
    public static string Http(string name, string url, string size = "64Mi", string? storageClass = null, string? contentType = null,
        string? checksum = null, string annotations = "", string volumeMode = "Filesystem") => $$"""
        apiVersion: cdi.kubevirt.io/v1beta1
        kind: DataVolume
        metadata:
          name: {{name}}
        {{annotations}}
        spec:
        {{(contentType is null ? "" : $"  contentType: {contentType}")}}
          source:
            http:
              url: {{url}}
        {{(checksum is null ? "" : $"      checksum: {checksum}")}}
          storage:
            volumeMode: {{volumeMode}}
        {{(storageClass is null ? "" : $"    storageClassName: {storageClass}")}}
            resources:
              requests:
                storage: {{size}}
        """;

    public static string Blank(string name, string size = "64Mi") => $$"""
        apiVersion: cdi.kubevirt.io/v1beta1
        kind: DataVolume
        metadata:
          name: {{name}}
        spec:
          source:
            blank: {}
          storage:
            resources:
              requests:
                storage: {{size}}
        """;

    /// <summary>Seed 002's v1alpha1 shape: spec.pvc with access modes and a class, used as given.</summary>
    public static string V1Alpha1(string name, string url, string storageClass) => $$"""
        apiVersion: cdi.kubevirt.io/v1alpha1
        kind: DataVolume
        metadata:
          name: "{{name}}"
        spec:
          source:
              http:
                 url: {{url}}
          pvc:
            accessModes:
              - ReadWriteOnce
            resources:
              requests:
                storage: "10240Mi"
            storageClassName: {{storageClass}}
        """;
}
