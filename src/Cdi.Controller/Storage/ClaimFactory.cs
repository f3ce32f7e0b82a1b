using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using Cdi.Kube.Models;

namespace Cdi.Controller.Storage;

/// <summary>The PVC a DataVolume asks for: <c>spec.pvc</c> as given, or <c>spec.storage</c> completed and inflated as upstream does.</summary>
public static class ClaimFactory
{
    private const long Alignment = 1 << 20;

    /// <param name="properties">Access and volume mode as the StorageProfile completes them (<see cref="ClaimPropertiesResolver"/>).</param>
    public static PersistentVolumeClaim ForDataVolume(DataVolume dv, string? storageClass, decimal overhead, ClaimProperties properties)
    {
        var spec = dv.Spec.Pvc is { } pvc ? pvc with { VolumeMode = properties.VolumeMode } : Complete(dv.Spec.Storage!, overhead, properties);
        spec = spec with { StorageClassName = storageClass };
        return new PersistentVolumeClaim
        {
            Metadata = new ObjectMeta
            {
                Name = dv.Metadata.Name,
                Namespace = dv.Metadata.Namespace,
                Labels = new() { [Annotations.AppLabel] = Annotations.AppLabelValue, [Annotations.DataVolumeLabel] = dv.Metadata.Name! },
                Annotations = dv.Metadata.Annotations is { } a && a.TryGetValue(Annotations.ImmediateBinding, out var v)
                    ? new() { [Annotations.ImmediateBinding] = v }
                    : null,
                OwnerReferences = [Owner(dv)],
            },
            Spec = spec,
        };
    }

    public static OwnerReference Owner(DataVolume dv) => new()
    {
        ApiVersion = dv.ApiVersion ?? "cdi.kubevirt.io/v1beta1",
        Kind = "DataVolume",
        Name = dv.Metadata.Name!,
        Uid = dv.Metadata.Uid!,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>The reference that makes a claim the controlling owner of its worker pods and scratch claim.</summary>
    public static OwnerReference OwnedBy(PersistentVolumeClaim claim) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Name = claim.Metadata.Name!,
        Uid = claim.Metadata.Uid!,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public static string? RequestedStorage(PersistentVolumeClaimSpec? spec) =>
        spec?.Resources?.Requests?.GetValueOrDefault("storage");

    public static bool IsBlock(PersistentVolumeClaimSpec? spec) => spec?.VolumeMode == "Block";

    /// <summary>Sets access modes and volume mode as resolved, and for Filesystem grows the request so the usable part is what was asked for.</summary>
    internal static PersistentVolumeClaimSpec Complete(PersistentVolumeClaimSpec storage, decimal overhead, ClaimProperties properties)
    {
        // No volume mode from the DataVolume nor its profile is Kubernetes' default, written out so the claim says it.
        var mode = properties.VolumeMode ?? "Filesystem";
        var requests = new Dictionary<string, string>(storage.Resources?.Requests ?? []);
        if (mode == "Filesystem" && requests.TryGetValue("storage", out var size))
        {
            requests["storage"] = RequiredSpace(Quantity.Parse(size).ToBytes(), overhead).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return storage with
        {
            AccessModes = [.. properties.AccessModes],
            VolumeMode = mode,
            Resources = new VolumeResourceRequirements { Requests = requests, Limits = storage.Resources?.Limits },
        };
    }

    /// <summary>Upstream's <c>GetRequiredSpace</c>: ceil(RoundUp(size, 1 MiB) / (1 − overhead)).</summary>
    public static long RequiredSpace(long size, decimal overhead)
    {
        var aligned = (size + Alignment - 1) / Alignment * Alignment;
        return (long)decimal.Ceiling(aligned / (1m - overhead));
    }

    public static PersistentVolumeClaim Scratch(PersistentVolumeClaim claim, string? storageClass) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = ResourceNames.Scratch(claim.Metadata.Name!),
            Namespace = claim.Metadata.Namespace,
            Labels = new() { [Annotations.AppLabel] = Annotations.AppLabelValue },
            OwnerReferences = [OwnedBy(claim)],
        },
        Spec = new PersistentVolumeClaimSpec
        {
            // Scratch is always Filesystem and ReadWriteOnce, as large as the target.
            AccessModes = ["ReadWriteOnce"],
            VolumeMode = "Filesystem",
            StorageClassName = storageClass,
            Resources = new VolumeResourceRequirements
            {
                Requests = new() { ["storage"] = RequestedStorage(claim.Spec) ?? "1Gi" },
            },
        },
    };
}
