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

    public static StorageClass? Default(IReadOnlyList<StorageClass> classes) => classes
        .Where(c => c.Metadata.Annotations?.GetValueOrDefault(Annotations.DefaultStorageClass) == "true")
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
