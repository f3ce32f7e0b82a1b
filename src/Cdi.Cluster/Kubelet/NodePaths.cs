namespace Cdi.Cluster.Kubelet;

/// <summary>
/// Where the pod runner keeps a pod's files, inside <see cref="PodPaths"/>' pod folder (DIR/pods/&lt;ns&gt;/&lt;name&gt;/), where
/// the API server also reads the container logs from.
/// </summary>
internal sealed class NodePaths(string clusterDirectory)
{
    private readonly string _dir = Path.GetFullPath(clusterDirectory);

    public string PodDirectory(string @namespace, string name) => PodPaths.PodDirectory(_dir, @namespace, name);

    public string LogFile(string @namespace, string name, string container) => PodPaths.LogFile(_dir, @namespace, name, container);

    public string TerminationLogFile(string @namespace, string name, string container) =>
        Path.Combine(PodDirectory(@namespace, name), container + ".termination-log");

    public string VolumeDirectory(string @namespace, string name, string volume) => Path.Combine(PodDirectory(@namespace, name), "volumes", volume);
}
