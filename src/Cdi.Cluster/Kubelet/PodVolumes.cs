using Cdi.Cluster.FileSafety;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// Gives each pod volume a host path: a PVC's PV hostPath; configMap and secret contents written as files under
/// DIR/pods/&lt;ns&gt;/&lt;name&gt;/volumes/&lt;volume&gt;/ (a secret's folder 0700 and files 0600, created so from the start);
/// emptyDir an empty directory there; a hostPath only inside the cluster folder.
/// </summary>
internal static class PodVolumes
{
    private const UnixFileMode SharedDirectory = OwnerOnly.Directory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode SharedFile = OwnerOnly.File | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Volume name → host path. Throws <see cref="PodSetupException"/> when a source is missing (FailedMount) or a name,
    /// key or path would not stay inside its folder (CreateContainerConfigError).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> PrepareAsync(KubeClient client, Pod pod, NodePaths paths,
        CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.Namespace ?? "default";
        var name = pod.Metadata.Name!;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            try
            {
                result[volume.Name] = await PrepareAsync(client, ns, volume, () => paths.VolumeDirectory(ns, name, volume.Name), paths,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (UnsafePathException e)
            {
                throw new PodSetupException("CreateContainerConfigError", $"volume \"{volume.Name}\": {e.Message}");
            }
        }
        return result;
    }

    private static async Task<string> PrepareAsync(KubeClient client, string ns, Volume volume, Func<ContainedPath> dir, NodePaths paths,
        CancellationToken cancellationToken)
    {
        if (volume.PersistentVolumeClaim is { } pvc)
        {
            var claim = await client.GetAsync(KubeResources.PersistentVolumeClaims, pvc.ClaimName, ns, cancellationToken).ConfigureAwait(false);
            var pv = await client.GetAsync(KubeResources.PersistentVolumes, claim.Spec!.VolumeName!, null, cancellationToken).ConfigureAwait(false);
            return pv.Spec?.HostPath?.Path
                ?? throw new PodSetupException("FailedMount", $"persistentvolume \"{pv.Metadata.Name}\" has no hostPath this node can use");
        }
        if (volume.ConfigMap is { } cm)
        {
            var map = await client.TryGetAsync(KubeResources.ConfigMaps, cm.Name, ns, cancellationToken).ConfigureAwait(false);
            if (map is null && cm.Optional != true) throw new PodSetupException("FailedMount", $"configmap \"{cm.Name}\" not found");
            var files = (map?.Data ?? []).ToDictionary(kv => kv.Key, kv => System.Text.Encoding.UTF8.GetBytes(kv.Value));
            foreach (var (key, bytes) in map?.BinaryData ?? []) files[key] = bytes;
            return Materialize(dir(), files, cm.Items, $"configmap \"{cm.Name}\"", SharedDirectory, SharedFile);
        }
        if (volume.Secret is { } secretSource)
        {
            var secret = await client.TryGetAsync(KubeResources.Secrets, secretSource.SecretName, ns, cancellationToken).ConfigureAwait(false);
            if (secret is null && secretSource.Optional != true)
                throw new PodSetupException("FailedMount", $"secret \"{secretSource.SecretName}\" not found");
            return Materialize(dir(), secret?.Data ?? [], secretSource.Items, $"secret \"{secretSource.SecretName}\"", OwnerOnly.Directory,
                OwnerOnly.File);
        }
        if (volume.EmptyDir is not null)
        {
            return dir().CreateDirectory(SharedDirectory).FullPath;
        }
        if (volume.HostPath is { } hostPath)
        {
            // The API keeps hostPath to PersistentVolumes; should one reach a pod anyway, it may not name the host at large.
            return ContainedPath.Under(paths.ClusterDirectory).Locate(hostPath.Path, "hostPath").RefuseLinks().FullPath;
        }
        throw new PodSetupException("FailedMount", $"volume \"{volume.Name}\" has a source this node cannot provide");
    }

    /// <summary>
    /// Writes the files afresh (so a restarted pod sees current contents) with <paramref name="fileMode"/> from their
    /// creation; keys may be remapped to relative paths by <paramref name="items"/>. A key or path that would not stay
    /// in <paramref name="dir"/> throws <see cref="UnsafePathException"/> before anything is written.
    /// </summary>
    internal static string Materialize(ContainedPath dir, IReadOnlyDictionary<string, byte[]> files, List<KeyToPath>? items, string source,
        UnixFileMode directoryMode, UnixFileMode fileMode)
    {
        var wanted = items is { Count: > 0 }
            ? items.Where(i => files.ContainsKey(i.Key)).Select(i => (Target: dir.Descend(i.Path, $"items[].path of {source}"), Bytes: files[i.Key])).ToList()
            : files.Select(kv => (Target: dir.Child(kv.Key, $"key of {source}"), Bytes: kv.Value)).ToList();
        dir.Delete();
        dir.CreateDirectory(directoryMode);
        foreach (var (target, bytes) in wanted)
        {
            target.Parent().CreateDirectory(directoryMode);
            using var file = target.CreateFile(fileMode);
            file.Write(bytes);
        }
        return dir.FullPath;
    }
}
