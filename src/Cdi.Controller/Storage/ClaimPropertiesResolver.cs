using Cdi.Api.StorageProfiles;

namespace Cdi.Controller.Storage;

/// <summary>
/// Upstream's rendering of a <c>spec.storage</c> claim from its StorageProfile (facts from CDI's datavolume util):
/// values the DataVolume gives win; a missing pair comes from the first <c>claimPropertySets</c> entry; a missing access
/// mode from the first entry of the requested volume mode; a missing volume mode from the first entry sharing an access
/// mode (else Kubernetes' Filesystem). Nothing is guessed: a profile that cannot say is <c>ErrClaimNotValid</c>.
/// </summary>
public static class ClaimPropertiesResolver
{
    /// <summary>Upstream's volume mode that asks CDI to pick the StorageProfile's.</summary>
    public const string FromStorageProfile = "FromStorageProfile";

    /// <param name="storageClass">The class the claim gets; null when none was named and the cluster has no default.</param>
    /// <param name="sets">The class's StorageProfile <c>status.claimPropertySets</c>; null while the profile has no status.</param>
    public static ClaimProperties Resolve(IReadOnlyList<string>? accessModes, string? volumeMode, string? storageClass,
        IReadOnlyList<ClaimPropertySet>? sets, bool archive)
    {
        var modes = accessModes ?? [];
        var mode = volumeMode is FromStorageProfile or "" ? null : volumeMode;
        if (archive)
        {
            // An archive is unpacked into a file system whatever the profile prefers (Block was refused before).
            mode = "Filesystem";
        }
        if (string.IsNullOrEmpty(storageClass))
        {
            // No class (none named, or "" for static binding): no profile to ask.
            return modes.Count == 0
                ? ClaimProperties.Invalid("PVC spec is missing accessMode and no storageClass to choose profile",
                    "PVC spec is missing accessMode and no storageClass to choose profile")
                : new ClaimProperties { AccessModes = modes, VolumeMode = mode };
        }
        if (modes.Count > 0 && mode is not null)
        {
            return new ClaimProperties { AccessModes = modes, VolumeMode = mode };
        }
        if (sets is null)
        {
            return new ClaimProperties { ProfilePending = true };
        }
        if (modes.Count == 0 && mode is null)
        {
            return sets.Count > 0 && sets[0].AccessModes is { Count: > 0 } first
                ? new ClaimProperties { AccessModes = first, VolumeMode = sets[0].VolumeMode }
                : ClaimProperties.Invalid($"no accessMode specified in StorageProfile {storageClass}",
                    $"Spec is missing accessMode and volumeMode, cannot get access mode from StorageProfile {storageClass}");
        }
        if (modes.Count == 0)
        {
            return sets.FirstOrDefault(s => s.VolumeMode == mode && s.AccessModes is { Count: > 0 }) is { } matching
                ? new ClaimProperties { AccessModes = matching.AccessModes!, VolumeMode = mode }
                : ClaimProperties.Invalid($"no matching accessMode specified in StorageProfile {storageClass}",
                    $"Spec is missing accessMode and cannot get access mode from StorageProfile {storageClass}");
        }
        // Access modes given, volume mode not: the first entry sharing one of them decides; none leaves Kubernetes' default.
        var sharing = sets.FirstOrDefault(s => (s.AccessModes ?? []).Intersect(modes, StringComparer.Ordinal).Any());
        return new ClaimProperties { AccessModes = modes, VolumeMode = sharing?.VolumeMode };
    }
}
