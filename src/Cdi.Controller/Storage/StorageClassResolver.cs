using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using Cdi.Kube.Models;

namespace Cdi.Controller.Storage;

/// <summary>Which storage class a claim gets, as Kubernetes and upstream CDI choose it.</summary>
public static class StorageClassResolver
{
    /// <summary>
    /// The explicit class if named (it may not exist); <c>""</c> as given, which in Kubernetes means no class at all
    /// (the claim binds a pre-made volume of no class); else the default class (the newest if several), else null.
    /// </summary>
    public static string? Resolve(string? requested, IReadOnlyList<StorageClass> classes) =>
        requested is not null ? requested : Default(classes)?.Metadata.Name;

    /// <summary>
    /// The class a DataVolume's claim gets. As upstream, a <c>spec.storage</c> DataVolume of disk images (not archive)
    /// that names no class takes the class marked <c>storageclass.kubevirt.io/is-default-virt-class</c> before the
    /// Kubernetes default; <c>spec.pvc</c> is plain Kubernetes and takes the Kubernetes default.
    /// </summary>
    public static string? ForDataVolume(DataVolume dv, IReadOnlyList<StorageClass> classes)
    {
        var requested = (dv.Spec.Pvc ?? dv.Spec.Storage)?.StorageClassName;
        if (requested is null && dv.Spec.Pvc is null && dv.Spec.ContentType != "archive"
            && Default(classes, Annotations.DefaultVirtStorageClass) is { } virt)
        {
            return virt.Metadata.Name;
        }
        return Resolve(requested, classes);
    }

    /// <summary>The class marked default by <paramref name="annotation"/> (the newest, then the first by name, if several), as Kubernetes picks it.</summary>
    public static StorageClass? Default(IReadOnlyList<StorageClass> classes, string annotation = Annotations.DefaultStorageClass) => classes
        .Where(c => c.Metadata.Annotations?.GetValueOrDefault(annotation) == "true")
        .OrderByDescending(c => c.Metadata.CreationTimestamp)
        .ThenBy(c => c.Metadata.Name, StringComparer.Ordinal)
        .FirstOrDefault();

    public static StorageClass? Find(string? name, IReadOnlyList<StorageClass> classes) =>
        name is null ? null : classes.FirstOrDefault(c => c.Metadata.Name == name);

    /// <summary>Seed 001's rule: CDIConfig's scratch class if it exists → the cluster default → the volume's own class.</summary>
    public static string? ResolveScratch(string? configured, string? claimClass, IReadOnlyList<StorageClass> classes)
    {
        if (!string.IsNullOrEmpty(configured) && Find(configured, classes) is not null)
        {
            return configured;
        }
        return Default(classes)?.Metadata.Name ?? claimClass;
    }
}
