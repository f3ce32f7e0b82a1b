using Cdi.Api.Contracts;
using Cdi.Controller.Settings;
using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Workers;

/// <summary>Maps a worker's typed failure, with the DataVolume's source kind, to a finding id, summary and remedy.</summary>
public static class WorkerFailureClassifier
{
    public sealed record Diagnosis(string Id, string Summary, string Remedy);

    public static Diagnosis Classify(WorkerFailure failure, DataVolumeContext dv, SnapshotIndex index)
    {
        var source = dv.DataVolume.Spec.Source;
        var registry = source?.Registry?.Url;
        var url = source?.Http?.Url ?? source?.S3?.Url ?? registry ?? "";
        var recreate = $"then recreate the DataVolume (its spec is immutable): kubectl delete dv {dv.Name} -n {dv.Namespace} and create it again";
        var retryNote = dv.Failed ? recreate : "cdi retries on its own";
        var probe = $"kubectl run -n {dv.Namespace} cdi-probe --rm -i --restart=Never --image=curlimages/curl -- curl -sS -o /dev/null -w '%{{http_code}}\\n' {ProbeUrl(url, registry is not null)}";
        switch (failure.Reason)
        {
            case ImporterFailureReason.ChecksumMismatch:
                return new(FindingIds.ChecksumMismatch, "the downloaded image does not match spec.source.http.checksum",
                    $"compare: curl -sSL {url} | sha256sum (or the checksum's algorithm); fix spec.source.http.checksum or the served file, {recreate}");
            case ImporterFailureReason.SourceUnavailable or ImporterFailureReason.SourceTruncated
                or ImporterFailureReason.CertificateRejected when registry is not null:
                return TlsOrUnreachable(failure, dv, index, registry, probe, retryNote, recreate);
            case ImporterFailureReason.SourceUnavailable or ImporterFailureReason.SourceTruncated:
                return new(FindingIds.SourceUnreachable, $"the worker cannot reach its source {url}",
                    $"bring the source back or fix the URL; test from the namespace: {probe}; {retryNote}");
            case ImporterFailureReason.SourceUnauthorized when registry is not null:
                return new(FindingIds.RegistryAuthFailed, $"registry {RegistryHost.Of(registry)} refused the pull (credentials missing or wrong)",
                    $"kubectl create secret generic {dv.Name}-registry -n {dv.Namespace} --from-literal=accessKeyId=USER --from-literal=secretKey=PASSWORD; "
                    + $"set spec.source.registry.secretRef: {dv.Name}-registry, {recreate}");
            case ImporterFailureReason.SourceNotFound when registry is not null:
                return new(FindingIds.ImageNotFound, $"image {registry} does not exist in registry {RegistryHost.Of(registry)}",
                    $"check it: skopeo inspect {registry}; push the image or fix spec.source.registry.url, {recreate}");
            case ImporterFailureReason.SourceRateLimited:
                return new(FindingIds.ImagePullRateLimited, $"registry {RegistryHost.Of(url)} rate-limits the worker's pulls (toomanyrequests)",
                    $"give credentials (spec.source.registry.secretRef) or a mirror: kubectl patch cdiconfig config --type merge -p '{{\"spec\":{{\"registryMirrors\":{{\"{RegistryHost.Of(url)}\":\"MIRROR\"}}}}}}'; {retryNote}");
            case ImporterFailureReason.UnsupportedFormat or ImporterFailureReason.UnsupportedSubformat or ImporterFailureReason.UnknownFeature
                or ImporterFailureReason.BackingFileNotAllowed or ImporterFailureReason.DataFileNotAllowed or ImporterFailureReason.ExternalReference
                or ImporterFailureReason.Encrypted or ImporterFailureReason.AmbiguousFormat or ImporterFailureReason.CorruptImage
                or ImporterFailureReason.ImageTooLarge or ImporterFailureReason.DecoderLimit or ImporterFailureReason.ArchiveEntryNotAllowed
                or ImporterFailureReason.ContainerDiskInvalid or ImporterFailureReason.DigestMismatch:
                return new(FindingIds.ImageRejected, $"the image was rejected by the format inspector: {failure.Reason}",
                    $"the image cannot be imported as it is ({failure.Reason}); flatten or convert it (qemu-img convert -O qcow2 IN OUT), "
                    + $"or request a size that fits it, {recreate}");
            default:
                return new(dv.Failed ? FindingIds.ImportFailed : FindingIds.ImportRetrying,
                    $"the import {(dv.Failed ? "failed" : "is being retried")}: {failure.Reason?.ToString() ?? "no typed reason"}",
                    $"see the worker's message in the evidence; kubectl describe dv {dv.Name} -n {dv.Namespace}; {retryNote}");
        }
    }

    private static Diagnosis TlsOrUnreachable(WorkerFailure failure, DataVolumeContext dv, SnapshotIndex index, string registry, string probe,
        string retryNote, string recreate)
    {
        var host = RegistryHost.Of(registry);
        // Workers before the one TLS classification reported a registry's TLS failure as SourceUnavailable.
        if (failure.Reason != ImporterFailureReason.CertificateRejected && !failure.Message.Contains("TLS verification", StringComparison.Ordinal))
        {
            return new(FindingIds.RegistryUnreachable, $"the worker cannot reach registry {host}",
                $"check the registry and the path to it (NetworkPolicies, proxies) from the namespace: {probe}; {retryNote}");
        }
        // A certificate the worker does not trust names the certificate; a handshake that fails without one is a
        // plain-HTTP registry spoken to over TLS, which only the insecure list fixes.
        var insecure = InsecureHosts(index);
        if (failure.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase) || insecure.Contains(host))
        {
            return TlsUntrusted(dv, registry, recreate);
        }
        var list = string.Join(",", insecure.Append(host).Select(h => $"\"{h}\""));
        return new(FindingIds.RegistryNotInsecureListed, $"registry {host} speaks plain HTTP but is not in CDIConfig insecureRegistries",
            $"kubectl patch cdiconfig config --type merge -p '{{\"spec\":{{\"insecureRegistries\":[{list}]}}}}'; {retryNote}");
    }

    private static Diagnosis TlsUntrusted(DataVolumeContext dv, string registry, string recreate) =>
        new(FindingIds.RegistryTlsUntrusted, $"the worker does not trust registry {RegistryHost.Of(registry)}'s TLS certificate",
            $"kubectl create configmap {dv.Name}-registry-ca -n {dv.Namespace} --from-file=ca.crt=CA.pem; "
            + $"set spec.source.registry.certConfigMap: {dv.Name}-registry-ca, {recreate}");

    private static List<string> InsecureHosts(SnapshotIndex index) =>
        [.. (index.Snapshot.CdiConfig?.Spec?.InsecureRegistries ?? []).Concat(LegacyInsecureRegistries.Hosts(index.Snapshot.LegacyInsecureRegistries)).Distinct()];

    private static string ProbeUrl(string url, bool registry) => registry ? $"https://{RegistryHost.Of(url)}/v2/" : url;
}
