using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// Gives each pod volume a host path: a PVC's PV hostPath; configMap and secret contents written as files under
/// DIR/pods/&lt;ns&gt;/&lt;name&gt;/volumes/&lt;volume&gt;/; emptyDir an empty directory there; hostPath itself.
/// </summary>
internal static class PodVolumes
{
    /// <summary>Volume name → host path. Throws <see cref="PodSetupException"/> when a source is missing.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> PrepareAsync(KubeClient client, Pod pod, NodePaths paths,
        CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.Namespace ?? "default";
        var name = pod.Metadata.Name!;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            var dir = paths.VolumeDirectory(ns, name, volume.Name);
            if (volume.PersistentVolumeClaim is { } pvc)
            {
                var claim = await client.GetAsync(KubeResources.PersistentVolumeClaims, pvc.ClaimName, ns, cancellationToken).ConfigureAwait(false);
                var pv = await client.GetAsync(KubeResources.PersistentVolumes, claim.Spec!.VolumeName!, null, cancellationToken).ConfigureAwait(false);
                result[volume.Name] = pv.Spec?.HostPath?.Path
                    ?? throw new PodSetupException("FailedMount", $"persistentvolume \"{pv.Metadata.Name}\" has no hostPath this node can use");
            }
            else if (volume.ConfigMap is { } cm)
            {
                var map = await client.TryGetAsync(KubeResources.ConfigMaps, cm.Name, ns, cancellationToken).ConfigureAwait(false);
                if (map is null && cm.Optional != true) throw new PodSetupException("FailedMount", $"configmap \"{cm.Name}\" not found");
                var files = (map?.Data ?? []).ToDictionary(kv => kv.Key, kv => System.Text.Encoding.UTF8.GetBytes(kv.Value));
                foreach (var (key, bytes) in map?.BinaryData ?? []) files[key] = bytes;
                result[volume.Name] = Materialize(dir, files, cm.Items);
            }
            else if (volume.Secret is { } secretSource)
            {
                var secret = await client.TryGetAsync(KubeResources.Secrets, secretSource.SecretName, ns, cancellationToken).ConfigureAwait(false);
                if (secret is null && secretSource.Optional != true)
                    throw new PodSetupException("FailedMount", $"secret \"{secretSource.SecretName}\" not found");
                result[volume.Name] = Materialize(dir, secret?.Data ?? [], secretSource.Items);
            }
            else if (volume.EmptyDir is not null)
            {
                Directory.CreateDirectory(dir);
                result[volume.Name] = dir;
            }
            else if (volume.HostPath is { } hostPath)
            {
                result[volume.Name] = hostPath.Path;
            }
            else
            {
                throw new PodSetupException("FailedMount", $"volume \"{volume.Name}\" has a source this node cannot provide");
            }
        }
        return result;
    }

    // Writes afresh each time, so a restarted pod sees current contents; keys may be remapped to paths by items.
    private static string Materialize(string dir, Dictionary<string, byte[]> files, List<KeyToPath>? items)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var wanted = items is { Count: > 0 }
            ? items.Where(i => files.ContainsKey(i.Key)).Select(i => (i.Path, files[i.Key]))
            : files.Select(kv => (kv.Key, kv.Value));
        foreach (var (relative, bytes) in wanted)
        {
            var target = Path.GetFullPath(Path.Combine(dir, relative));
            if (!target.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue; // no escaping via ".."
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, bytes);
        }
        return dir;
    }
}
