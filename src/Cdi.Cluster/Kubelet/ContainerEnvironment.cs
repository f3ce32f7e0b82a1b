using System.Text;
using Cdi.Cluster.FileSafety;
using Cdi.Kube.Local;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// The environment of a container process. A container does not inherit the host's environment, except what the cdi
/// binary needs to run at all (PATH, HOME, TMPDIR, LANG, DOTNET_*). On top of that:
/// <list type="bullet">
/// <item>in-cluster configuration as a real kubelet gives it: KUBERNETES_SERVICE_HOST/PORT = the API server, and the
/// projected service-account folder (<see cref="ServiceAccountProjection"/>) mapped to
/// /var/run/secrets/kubernetes.io/serviceaccount; no KUBECONFIG, so a client in the pod acts as the pod's service
/// account, with what RBAC grants it, not as the cluster admin;</item>
/// <item>CDI_MOUNT_&lt;KEY&gt; = host path, for each volumeMount and volumeDevice (see <see cref="LocalPaths"/>);</item>
/// <item>CDI_TERMINATION_LOG = host file behind terminationMessagePath (also mapped as a CDI_MOUNT_ variable);</item>
/// <item>the container's own env, valueFrom secretKeyRef/configMapKeyRef/fieldRef resolved (<c>status.podIP</c> is the pod's own
/// loopback address), $(VAR) expanded.</item>
/// </list>
/// </summary>
internal static class ContainerEnvironment
{
    private static readonly string[] Inherited = ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "USER"];

    public static async Task<Dictionary<string, string>> BuildAsync(KubeClient client, ClusterContext context, Pod pod, string podIP, Container container,
        IReadOnlyDictionary<string, string> volumePaths, string terminationLogFile, string? serviceAccountDirectory, CancellationToken cancellationToken)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Inherited)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value) env[name] = value;
        }
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith("DOTNET_", StringComparison.Ordinal)) env[key] = entry.Value as string ?? "";
        }
        env["HOSTNAME"] = pod.Metadata.Name ?? "";
        env["KUBERNETES_SERVICE_HOST"] = context.ApiServerUrl.Host;
        env["KUBERNETES_SERVICE_PORT"] = context.ApiServerUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["KUBERNETES_SERVICE_PORT_HTTPS"] = env["KUBERNETES_SERVICE_PORT"];
        if (serviceAccountDirectory is not null)
        {
            env[LocalPaths.VariableFor(ServiceAccountProjection.ContainerPath)] = serviceAccountDirectory;
        }

        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (!volumePaths.TryGetValue(mount.Name, out var host))
                throw new PodSetupException("CreateContainerConfigError", $"volumeMount \"{mount.Name}\" names no volume of the pod");
            env[LocalPaths.VariableFor(mount.MountPath)] = string.IsNullOrEmpty(mount.SubPath) ? host : SubPath(host, mount);
        }
        foreach (var device in container.VolumeDevices ?? [])
        {
            if (!volumePaths.TryGetValue(device.Name, out var host))
                throw new PodSetupException("CreateContainerConfigError", $"volumeDevice \"{device.Name}\" names no volume of the pod");
            env[LocalPaths.VariableFor(device.DevicePath)] = host;
        }
        env[LocalPaths.VariableFor(container.TerminationMessagePath ?? "/dev/termination-log")] = terminationLogFile;
        env[LocalPaths.TerminationLogVariable] = terminationLogFile;

        foreach (var variable in container.Env ?? [])
        {
            var value = variable.ValueFrom is { } from
                ? await ResolveAsync(client, pod, podIP, from, cancellationToken).ConfigureAwait(false)
                : ContainerCommand.Expand(variable.Value ?? "", env);
            if (value is not null) env[variable.Name] = value;
        }
        return env;
    }

    // A subPath stays inside its volume: plain names only, and no symbolic link on the way (one the pod planted could
    // otherwise hand the next container a path outside).
    private static string SubPath(string volume, VolumeMount mount)
    {
        try
        {
            return ContainedPath.Under(volume).Descend(mount.SubPath, "subPath").RefuseLinks().FullPath;
        }
        catch (UnsafePathException e)
        {
            throw new PodSetupException("CreateContainerConfigError", $"volumeMount \"{mount.Name}\": {e.Message}");
        }
    }

    private static async Task<string?> ResolveAsync(KubeClient client, Pod pod, string podIP, EnvVarSource from, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.Namespace ?? "default";
        if (from.SecretKeyRef is { } secretRef)
        {
            var secret = await client.TryGetAsync(KubeResources.Secrets, secretRef.Name, ns, cancellationToken).ConfigureAwait(false);
            if (secret?.Data?.GetValueOrDefault(secretRef.Key) is { } bytes) return Encoding.UTF8.GetString(bytes);
            if (secretRef.Optional == true) return null;
            throw new PodSetupException("CreateContainerConfigError",
                secret is null ? $"secret \"{secretRef.Name}\" not found" : $"couldn't find key {secretRef.Key} in Secret {ns}/{secretRef.Name}");
        }
        if (from.ConfigMapKeyRef is { } mapRef)
        {
            var map = await client.TryGetAsync(KubeResources.ConfigMaps, mapRef.Name, ns, cancellationToken).ConfigureAwait(false);
            if (map?.Data?.GetValueOrDefault(mapRef.Key) is { } value) return value;
            if (mapRef.Optional == true) return null;
            throw new PodSetupException("CreateContainerConfigError",
                map is null ? $"configmap \"{mapRef.Name}\" not found" : $"couldn't find key {mapRef.Key} in ConfigMap {ns}/{mapRef.Name}");
        }
        if (from.FieldRef is { } field) return FieldValue(pod, podIP, field.FieldPath);
        return null;
    }

    private static string? FieldValue(Pod pod, string podIP, string path) => path switch
    {
        "metadata.name" => pod.Metadata.Name,
        "metadata.namespace" => pod.Metadata.Namespace,
        "metadata.uid" => pod.Metadata.Uid,
        "spec.nodeName" => pod.Spec?.NodeName,
        "spec.serviceAccountName" => pod.Spec?.ServiceAccountName ?? "default",
        "status.podIP" or "status.podIPs" => podIP,
        "status.hostIP" or "status.hostIPs" => "127.0.0.1",
        _ when path.StartsWith("metadata.labels['", StringComparison.Ordinal) => pod.Metadata.Labels?.GetValueOrDefault(path[17..^2]),
        _ when path.StartsWith("metadata.annotations['", StringComparison.Ordinal) => pod.Metadata.Annotations?.GetValueOrDefault(path[22..^2]),
        _ => throw new PodSetupException("CreateContainerConfigError", $"unsupported fieldRef {path}"),
    };
}
