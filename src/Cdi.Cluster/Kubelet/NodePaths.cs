using Cdi.Cluster.FileSafety;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// Where the pod runner keeps a pod's files, inside <see cref="PodPaths"/>' pod folder (DIR/pods/&lt;ns&gt;/&lt;name&gt;/), where
/// the API server also reads the container logs from. Names that are not plain file names throw
/// <see cref="UnsafePathException"/>.
/// </summary>
internal sealed class NodePaths(string clusterDirectory)
{
    private readonly string _dir = Path.GetFullPath(clusterDirectory);

    public string ClusterDirectory => _dir;

    public ContainedPath PodDirectory(string @namespace, string name) => PodPaths.PodFolder(_dir, @namespace, name);

    public ContainedPath LogFile(string @namespace, string name, string container) => PodPaths.Log(_dir, @namespace, name, container);

    public ContainedPath TerminationLogFile(string @namespace, string name, string container) =>
        PodDirectory(@namespace, name).Child(container, "container name", ".termination-log");

    public ContainedPath PidFile(string @namespace, string name, string container) =>
        PodDirectory(@namespace, name).Child(container, "container name", ContainerPidRecord.Suffix);

    public ContainedPath VolumeDirectory(string @namespace, string name, string volume) =>
        PodDirectory(@namespace, name).Child("volumes", "folder").Child(volume, "volume name");
}
