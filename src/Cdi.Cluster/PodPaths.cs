namespace Cdi.Cluster;

/// <summary>
/// Where the local cluster keeps per-pod files. The pod runner writes each container's output (stdout and stderr,
/// interleaved, appended) to <see cref="LogFile"/>; the API server serves it as <c>pods/log</c>
/// (<c>kubectl logs</c>), following it while the pod is not yet Succeeded or Failed.
/// </summary>
public static class PodPaths
{
    /// <summary><c>DIR/pods</c>.</summary>
    public static string Root(string clusterDirectory) => Path.Combine(clusterDirectory, "pods");

    /// <summary><c>DIR/pods/{namespace}/{pod}</c>: a pod's own folder (delete it with the pod).</summary>
    public static string PodDirectory(string clusterDirectory, string ns, string pod) => Path.Combine(Root(clusterDirectory), ns, pod);

    /// <summary><c>DIR/pods/{namespace}/{pod}/{container}.log</c>.</summary>
    public static string LogFile(string clusterDirectory, string ns, string pod, string container) =>
        Path.Combine(PodDirectory(clusterDirectory, ns, pod), container + ".log");

    /// <summary>
    /// <c>DIR/pods/{namespace}/{pod}/{container}.previous.log</c>: the output of the container's previous run, which a
    /// runner restarting a container moves <see cref="LogFile"/> to (<c>kubectl logs --previous</c>).
    /// </summary>
    public static string PreviousLogFile(string clusterDirectory, string ns, string pod, string container) =>
        Path.Combine(PodDirectory(clusterDirectory, ns, pod), container + ".previous.log");
}
