using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Settings;
using Cdi.Controller.Storage;
using Cdi.Controller.Workers;
using Cdi.Kube.Models;

namespace Cdi.Controller.Importing;

/// <summary>Builds the importer pod for a DataVolume's claim: the cdi image, one typed spec in one variable, the volumes.</summary>
public static class ImporterPodFactory
{
    public const string DataPath = "/data";
    public const string BlockPath = "/dev/cdi-block-volume";
    public const string ScratchPath = "/scratch";
    public const string CertsPath = "/certs";
    public const string SecretPath = "/secret";
    public const string ExtraHeadersPath = "/extraheaders";

    public static ImporterSpec Spec(DataVolume dv, PersistentVolumeClaim claim, bool withScratch, EffectiveSettings settings, ControllerOptions options)
    {
        var block = ClaimFactory.IsBlock(claim.Spec);
        var size = claim.Status?.Capacity?.GetValueOrDefault("storage") ?? ClaimFactory.RequestedStorage(claim.Spec) ?? "0";
        var source = dv.Spec.Source;
        var s3 = S3Url.TryParse(source?.S3?.Url);
        var registry = source?.Registry;
        return new ImporterSpec
        {
            Version = ImporterSpec.CurrentVersion,
            Source = source?.Http?.Url ?? registry?.Url ?? s3?.Source ?? ImportSourceKind.BlankUrl,
            Checksum = source?.Http?.Checksum ?? source?.S3?.Checksum,
            InsecureSkipTlsVerify = source?.Http?.InsecureSkipVerify == true,
            ContentType = dv.Spec.ContentType == "archive" ? "archive" : "kubevirt",
            VolumeMode = block ? "Block" : "Filesystem",
            Target = block ? BlockPath : DataPath,
            Size = Quantity.Parse(size).ToBytes(),
            FilesystemOverhead = block ? 0 : (double)settings.OverheadFor(claim.Spec?.StorageClassName),
            Scratch = withScratch ? ScratchPath : null,
            Preallocation = dv.Spec.Preallocation ?? settings.Preallocation,
            DenyPrivateNetworks = settings.DenyPrivateNetworks,
            AllowedNetworks = [.. options.ImporterAllowedNetworks.Concat(settings.AllowedNetworks).Distinct()],
            ExtraHeaders = [.. source?.Http?.ExtraHeaders ?? []],
            CertDir = SourceCertConfigMap(dv) is null ? null : CertsPath,
            SecretDir = SourceSecret(dv) is null ? null : SecretPath,
            ExtraHeaderDirs = [.. (source?.Http?.SecretExtraHeaders ?? []).Select((_, i) => $"{ExtraHeadersPath}/{i}")],
            InsecureRegistries = registry is not null ? [.. settings.InsecureRegistryHosts] : [],
            RegistryMirrors = registry is not null ? [.. settings.RegistryMirrorRules] : [],
            Platform = registry?.Platform?.Architecture,
            S3Endpoint = s3?.Endpoint,
            OwnerUid = claim.Metadata.Uid,
            Proxy = settings.ImportProxy?.For(source?.Http?.Url ?? registry?.Url ?? s3?.Endpoint),
            NoProxy = NullIfEmpty(settings.ImportProxy?.NoProxy),
        };
    }

    /// <summary>The source's secretRef, whichever kind of source it is: mounted at <see cref="SecretPath"/>.</summary>
    private static string? SourceSecret(DataVolume dv) =>
        NullIfEmpty(dv.Spec.Source?.Http?.SecretRef ?? dv.Spec.Source?.Registry?.SecretRef ?? dv.Spec.Source?.S3?.SecretRef);

    /// <summary>The source's certConfigMap (a CA bundle): mounted at <see cref="CertsPath"/>.</summary>
    private static string? SourceCertConfigMap(DataVolume dv) =>
        NullIfEmpty(dv.Spec.Source?.Http?.CertConfigMap ?? dv.Spec.Source?.Registry?.CertConfigMap ?? dv.Spec.Source?.S3?.CertConfigMap);

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    public static Pod Create(DataVolume dv, PersistentVolumeClaim claim, PersistentVolumeClaim? scratch, int attempt, ControllerOptions options, EffectiveSettings settings)
    {
        var block = ClaimFactory.IsBlock(claim.Spec);
        var spec = Spec(dv, claim, scratch is not null, settings, options);
        List<Volume> volumes = [new() { Name = "cdi-data-vol", PersistentVolumeClaim = new() { ClaimName = claim.Metadata.Name! } }];
        List<VolumeMount> mounts = block ? [] : [new() { Name = "cdi-data-vol", MountPath = DataPath }];
        List<VolumeDevice>? devices = block ? [new() { Name = "cdi-data-vol", DevicePath = BlockPath }] : null;
        // The source's CA bundle and credentials, mounted read-only where the spec points (upstream's /certs and secret keys).
        if (SourceCertConfigMap(dv) is { } certs)
        {
            volumes.Add(new() { Name = "cdi-cert-vol", ConfigMap = new() { Name = certs } });
            mounts.Add(new() { Name = "cdi-cert-vol", MountPath = CertsPath, ReadOnly = true });
        }
        if (SourceSecret(dv) is { } secret)
        {
            volumes.Add(new() { Name = "cdi-secret-vol", Secret = new() { SecretName = secret } });
            mounts.Add(new() { Name = "cdi-secret-vol", MountPath = SecretPath, ReadOnly = true });
        }
        foreach (var (name, i) in (dv.Spec.Source?.Http?.SecretExtraHeaders ?? []).Select((n, i) => (n, i)))
        {
            volumes.Add(new() { Name = $"cdi-secret-extra-headers-vol-{i}", Secret = new() { SecretName = name } });
            mounts.Add(new() { Name = $"cdi-secret-extra-headers-vol-{i}", MountPath = $"{ExtraHeadersPath}/{i}", ReadOnly = true });
        }
        if (scratch is not null)
        {
            volumes.Add(new() { Name = "cdi-scratch-vol", PersistentVolumeClaim = new() { ClaimName = scratch.Metadata.Name! } });
            mounts.Add(new() { Name = "cdi-scratch-vol", MountPath = ScratchPath });
        }
        return new WorkerPod
        {
            Name = ResourceNames.ImporterPod(claim.Metadata.Name!),
            Namespace = claim.Metadata.Namespace!,
            Role = Annotations.ImporterRole,
            Subcommand = "importer",
            Spec = (ImporterSpec.EnvironmentVariable, JsonSerializer.Serialize(spec, ApiJsonContext.Default.ImporterSpec)),
            Owner = ClaimFactory.OwnedBy(claim),
            Volumes = volumes,
            Mounts = mounts,
            Devices = devices,
        }.Build(dv, attempt, options, settings);
    }
}
