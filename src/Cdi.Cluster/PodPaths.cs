using Cdi.Cluster.FileSafety;

namespace Cdi.Cluster;

/// <summary>
/// Where the local cluster keeps per-pod files. The pod runner writes each container's output (stdout and stderr,
/// interleaved, appended) to <see cref="LogFile"/>; the API server serves it as <c>pods/log</c>
/// (<c>kubectl logs</c>), following it while the pod is not yet Succeeded or Failed. Every name becomes one path
/// segment through <see cref="ContainedPath"/>: a name that is not a plain file name throws
/// <see cref="UnsafePathException"/> rather than naming a path outside the cluster folder.
/// </summary>
public static class PodPaths
{
    /// <summary><c>DIR/pods</c>.</summary>
    public static string Root(string clusterDirectory) => Path.Combine(clusterDirectory, "pods");

    /// <summary><c>DIR/pods/{namespace}/{pod}</c>: a pod's own folder (delete it with the pod).</summary>
    public static string PodDirectory(string clusterDirectory, string ns, string pod) => PodFolder(clusterDirectory, ns, pod).FullPath;

    /// <summary><c>DIR/pods/{namespace}/{pod}/{container}.log</c>.</summary>
    public static string LogFile(string clusterDirectory, string ns, string pod, string container) => Log(clusterDirectory, ns, pod, container).FullPath;

    /// <summary>
    /// <c>DIR/pods/{namespace}/{pod}/{container}.previous.log</c>: the output of the container's previous run, which a
    /// runner restarting a container moves <see cref="LogFile"/> to (<c>kubectl logs --previous</c>).
    /// </summary>
    public static string PreviousLogFile(string clusterDirectory, string ns, string pod, string container) =>
        PreviousLog(clusterDirectory, ns, pod, container).FullPath;

    internal static ContainedPath PodFolder(string clusterDirectory, string ns, string pod) =>
        ContainedPath.Under(clusterDirectory).Child("pods", "folder").Child(ns, "namespace").Child(pod, "pod name");

    internal static ContainedPath Log(string clusterDirectory, string ns, string pod, string container) =>
        PodFolder(clusterDirectory, ns, pod).Child(container, "container name", ".log");

    internal static ContainedPath PreviousLog(string clusterDirectory, string ns, string pod, string container) =>
        PodFolder(clusterDirectory, ns, pod).Child(container, "container name", ".previous.log");
}
