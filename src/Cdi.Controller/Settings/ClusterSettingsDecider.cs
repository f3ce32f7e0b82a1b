using System.Globalization;
using Cdi.Api.Config;
using Cdi.Api.StorageProfiles;
using Cdi.Controller.Storage;
using Cdi.Kube.Models;

namespace Cdi.Controller.Settings;

/// <summary>Pure: what CDIConfig's status and each StorageProfile's status should say, given the storage classes.</summary>
public static class ClusterSettingsDecider
{
    public static CdiConfigStatus ConfigStatus(CdiConfigSpec? spec, IReadOnlyList<StorageClass> classes, ControllerOptions options)
    {
        var global = spec?.FilesystemOverhead?.Global ?? options.FilesystemOverhead.ToString(CultureInfo.InvariantCulture);
        var perClass = classes.ToDictionary(c => c.Metadata.Name!,
            c => spec?.FilesystemOverhead?.StorageClass?.GetValueOrDefault(c.Metadata.Name!) ?? global);
        // Seed 001: the configured scratch class if it exists, else the cluster default, else "" (the volume's own class).
        var scratch = !string.IsNullOrEmpty(spec?.ScratchSpaceStorageClass) && StorageClassResolver.Find(spec.ScratchSpaceStorageClass, classes) is not null
            ? spec.ScratchSpaceStorageClass
            : StorageClassResolver.Default(classes)?.Metadata.Name ?? "";
        return new CdiConfigStatus
        {
            ScratchSpaceStorageClass = scratch,
            DefaultPodResourceRequirements = spec?.PodResourceRequirements ?? options.PodResources,
            FilesystemOverhead = new FilesystemOverhead { Global = global, StorageClass = perClass },
            Preallocation = spec?.Preallocation ?? false,
            UploadProxyUrl = !string.IsNullOrEmpty(spec?.UploadProxyUrlOverride) ? spec.UploadProxyUrlOverride : options.UploadProxyUrl,
            ImagePullSecrets = spec?.ImagePullSecrets is { Count: > 0 } secrets ? secrets : null,
        };
    }

    /// <summary>
    /// The profile's own claim properties if set, else what is known of the provisioner, else none: as upstream, an
    /// unknown provisioner gets empty <c>claimPropertySets</c>, and a DataVolume that needs them is <c>ErrClaimNotValid</c>
    /// until an administrator fills the profile's spec (nothing is guessed).
    /// </summary>
    public static StorageProfileStatus ProfileStatus(StorageProfileSpec? spec, StorageClass storageClass) => new()
    {
        StorageClass = storageClass.Metadata.Name,
        Provisioner = storageClass.Provisioner,
        CloneStrategy = spec?.CloneStrategy ?? "copy",
        ClaimPropertySets = spec?.ClaimPropertySets is { Count: > 0 } sets ? sets : KnownProvisioner(storageClass.Provisioner),
    };

    private static List<ClaimPropertySet> KnownProvisioner(string provisioner) => provisioner switch
    {
        "cdi.local/hostpath" or "kubernetes.io/no-provisioner" or "rancher.io/local-path" =>
            [new() { AccessModes = ["ReadWriteOnce"], VolumeMode = "Filesystem" }, new() { AccessModes = ["ReadWriteOnce"], VolumeMode = "Block" }],
        // Upstream's table for the hostpath provisioners and NFS.
        "kubevirt.io.hostpath-provisioner" or "kubevirt.io/hostpath-provisioner" or "k8s.io/minikube-hostpath" =>
            [new() { AccessModes = ["ReadWriteOnce"], VolumeMode = "Filesystem" }],
        "kubevirt.io.hostpath-provisioner/overlay" or "nfs.csi.k8s.io" or "k8s-sigs.io/nfs-subdir-external-provisioner" =>
            [new() { AccessModes = ["ReadWriteMany"], VolumeMode = "Filesystem" }],
        _ => [],
    };
}
