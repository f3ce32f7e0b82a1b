using Cdi.Cluster.FileSafety;
using Cdi.Kube.Events;
using Cdi.Kube.Informers;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Provisioner;

/// <summary>Reconciles one claim or one volume; all writes go through the API server with resourceVersion checks.</summary>
internal sealed class ClaimBinder(KubeClient client, VolumeFiles files, InformerStore<StorageClass> classes, InformerStore<Pod> pods)
{
    public const string PodsByClaimIndex = "claims";

    private readonly EventRecorder _events = new(client, "cdi-hostpath-provisioner");
    // Why-still-Pending events are written once per claim and reason, not on every resync.
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    /// <summary>"ns/claim" for every PVC volume of the pod: the index the WaitForFirstConsumer check reads.</summary>
    public static IEnumerable<string> ClaimsOf(Pod pod) =>
        (pod.Spec?.Volumes ?? []).Where(v => v.PersistentVolumeClaim is not null)
            .Select(v => $"{pod.Metadata.Namespace}/{v.PersistentVolumeClaim!.ClaimName}");

    public async Task ReconcileClaimAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = Split(key);
        var claim = await client.TryGetAsync(KubeResources.PersistentVolumeClaims, name, ns, cancellationToken).ConfigureAwait(false);
        if (claim is null) return;
        if (claim.Metadata.DeletionTimestamp is not null)
        {
            await ReleaseProtectionAsync(claim, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (claim.Status?.Phase == "Bound") return;
        if (!string.IsNullOrEmpty(claim.Spec?.VolumeName))
        {
            await FinishBindingAsync(claim, cancellationToken).ConfigureAwait(false);
            return;
        }

        var storageClass = ClassFor(claim, out var why);
        if (storageClass is null)
        {
            await ReportOnceAsync(claim, EventRecorder.Warning, "ProvisioningFailed", why, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (storageClass.Provisioner != ProvisionerNames.Provisioner) return; // someone else's class

        if (storageClass.VolumeBindingMode == ProvisionerNames.WaitForFirstConsumer && !HasConsumer(claim))
        {
            await ReportOnceAsync(claim, EventRecorder.Normal, "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding", cancellationToken).ConfigureAwait(false);
            return;
        }
        if (claim.Spec?.Resources?.Requests?.GetValueOrDefault("storage") is not { } request)
        {
            await ReportOnceAsync(claim, EventRecorder.Warning, "ProvisioningFailed", "the claim requests no storage size",
                cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            await ProvisionAsync(claim, storageClass, request, cancellationToken).ConfigureAwait(false);
        }
        catch (UnsafePathException e)
        {
            // Nothing was written: the claim stays Pending and says why.
            await ReportOnceAsync(claim, EventRecorder.Warning, "ProvisioningFailed", e.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task ReconcileVolumeAsync(string name, CancellationToken cancellationToken)
    {
        var volume = await client.TryGetAsync(KubeResources.PersistentVolumes, name, null, cancellationToken).ConfigureAwait(false);
        if (volume?.Spec?.ClaimRef is not { } claimRef) return;
        if (volume.Metadata.Annotations?.GetValueOrDefault(ProvisionerNames.ProvisionedByAnnotation) != ProvisionerNames.Provisioner) return;

        var claim = await client.TryGetAsync(KubeResources.PersistentVolumeClaims, claimRef.Name!, claimRef.Namespace, cancellationToken)
            .ConfigureAwait(false);
        if (claim is not null && claim.Metadata.Uid == claimRef.Uid) return; // still claimed

        // The claim is gone: Released, then (reclaim policy Delete) the files and the PV go.
        if (volume.Status?.Phase != "Released")
        {
            volume = await client.UpdateStatusAsync(KubeResources.PersistentVolumes,
                volume with { Status = new PersistentVolumeStatus { Phase = "Released" } }, cancellationToken).ConfigureAwait(false);
        }
        if (volume.Spec?.PersistentVolumeReclaimPolicy is "Delete" or null)
        {
            if (volume.Spec?.HostPath?.Path is { } path) files.Delete(path);
            try
            {
                await client.DeleteAsync(KubeResources.PersistentVolumes, name, null, null, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                // Already gone.
            }
        }
    }

    private async Task ProvisionAsync(PersistentVolumeClaim claim, StorageClass storageClass, string request, CancellationToken cancellationToken)
    {
        var pvName = "pvc-" + claim.Metadata.Uid;
        var block = claim.Spec?.VolumeMode == "Block";
        var accessModes = claim.Spec?.AccessModes is { Count: > 0 } modes ? modes : ["ReadWriteOnce"];
        var path = files.Create(pvName, block, Quantity.Parse(request).ToBytes());
        var volume = new PersistentVolume
        {
            Metadata = new ObjectMeta
            {
                Name = pvName,
                Annotations = new() { [ProvisionerNames.ProvisionedByAnnotation] = ProvisionerNames.Provisioner },
            },
            Spec = new PersistentVolumeSpec
            {
                Capacity = new() { ["storage"] = request },
                HostPath = new HostPathVolumeSource { Path = path, Type = block ? "File" : "Directory" },
                AccessModes = [.. accessModes],
                PersistentVolumeReclaimPolicy = storageClass.ReclaimPolicy ?? "Delete",
                StorageClassName = storageClass.Metadata.Name,
                VolumeMode = block ? "Block" : "Filesystem",
                ClaimRef = new ObjectReference
                {
                    ApiVersion = "v1", Kind = "PersistentVolumeClaim", Namespace = claim.Metadata.Namespace, Name = claim.Metadata.Name,
                    Uid = claim.Metadata.Uid, ResourceVersion = claim.Metadata.ResourceVersion,
                },
            },
        };
        try
        {
            volume = await client.CreateAsync(KubeResources.PersistentVolumes, volume, null, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            volume = await client.GetAsync(KubeResources.PersistentVolumes, pvName, null, cancellationToken).ConfigureAwait(false);
        }
        if (volume.Status?.Phase != "Bound")
        {
            await client.UpdateStatusAsync(KubeResources.PersistentVolumes, volume with { Status = new PersistentVolumeStatus { Phase = "Bound" } },
                cancellationToken).ConfigureAwait(false);
        }

        // Spec first (volumeName + bind annotations), then status; a conflict on either retries the whole claim.
        var annotations = new Dictionary<string, string>(claim.Metadata.Annotations ?? [])
        {
            [ProvisionerNames.BindCompletedAnnotation] = "yes",
            [ProvisionerNames.BoundByControllerAnnotation] = "yes",
            [ProvisionerNames.StorageProvisionerAnnotation] = ProvisionerNames.Provisioner,
        };
        var bound = await client.UpdateAsync(KubeResources.PersistentVolumeClaims, claim with
        {
            Metadata = claim.Metadata with { Annotations = annotations },
            Spec = claim.Spec! with { VolumeName = pvName, StorageClassName = storageClass.Metadata.Name },
        }, cancellationToken).ConfigureAwait(false);
        await client.UpdateStatusAsync(KubeResources.PersistentVolumeClaims, bound with
        {
            Status = new PersistentVolumeClaimStatus { Phase = "Bound", AccessModes = [.. accessModes], Capacity = new() { ["storage"] = request } },
        }, cancellationToken).ConfigureAwait(false);
        await _events.RecordAsync(bound, EventRecorder.Normal, "ProvisioningSucceeded",
            $"Successfully provisioned volume {pvName} at {path}", cancellationToken).ConfigureAwait(false);
    }

    // A bind that stopped between the claim's spec and its status (a conflict, a restart): complete the status.
    private async Task FinishBindingAsync(PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        var volume = await client.TryGetAsync(KubeResources.PersistentVolumes, claim.Spec!.VolumeName!, null, cancellationToken).ConfigureAwait(false);
        // Bound by someone else, or a PV that does not point back: not ours to finish.
        if (volume?.Spec is not { } spec || spec.ClaimRef?.Uid != claim.Metadata.Uid) return;
        await client.UpdateStatusAsync(KubeResources.PersistentVolumeClaims, claim with
        {
            Status = new PersistentVolumeClaimStatus { Phase = "Bound", AccessModes = spec.AccessModes, Capacity = spec.Capacity },
        }, cancellationToken).ConfigureAwait(false);
    }

    private StorageClass? ClassFor(PersistentVolumeClaim claim, out string why)
    {
        var name = claim.Spec?.StorageClassName;
        if (name is null)
        {
            var defaults = classes.List().Where(c => c.Metadata.Annotations?.GetValueOrDefault(ProvisionerNames.DefaultClassAnnotation) == "true").ToList();
            if (defaults.Count == 0)
            {
                why = "no storage class is set and there is no default storage class";
                return null;
            }
            why = "";
            return defaults.OrderByDescending(c => c.Metadata.CreationTimestamp).First();
        }
        if (name.Length == 0)
        {
            why = "storageClassName is empty: only a pre-created PV could bind it, and this provisioner creates none";
            return null;
        }
        var found = classes.Get(name);
        why = found is null ? $"storageclass.storage.k8s.io \"{name}\" not found" : "";
        return found;
    }

    private bool HasConsumer(PersistentVolumeClaim claim) =>
        claim.Metadata.Annotations?.ContainsKey(ProvisionerNames.SelectedNodeAnnotation) == true
        || pods.ByIndex(PodsByClaimIndex, ObjectMetaAccessor.KeyOf(claim.Metadata)).Any(p => p.Metadata.DeletionTimestamp is null);

    // Stands in for the pvc-protection controller: a claim being deleted keeps its finalizer while a live pod uses it.
    private async Task ReleaseProtectionAsync(PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        if (claim.Metadata.Finalizers?.Contains(ProvisionerNames.PvcProtectionFinalizer) != true) return;
        var inUse = pods.ByIndex(PodsByClaimIndex, ObjectMetaAccessor.KeyOf(claim.Metadata))
            .Any(p => p.Status?.Phase is not ("Succeeded" or "Failed"));
        if (inUse) return;
        await client.UpdateAsync(KubeResources.PersistentVolumeClaims, claim with
        {
            Metadata = claim.Metadata with { Finalizers = [.. claim.Metadata.Finalizers.Where(f => f != ProvisionerNames.PvcProtectionFinalizer)] },
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReportOnceAsync(PersistentVolumeClaim claim, string type, string reason, string message, CancellationToken cancellationToken)
    {
        if (!_reported.Add($"{claim.Metadata.Uid}/{reason}/{message}")) return;
        await _events.RecordAsync(claim, type, reason, message, cancellationToken).ConfigureAwait(false);
    }

    private static (string? Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }
}
