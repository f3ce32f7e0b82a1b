namespace Cdi.Cluster.Kubelet;

/// <summary>Where the pod runner keeps a pod's files: DIR/pods/&lt;ns&gt;/&lt;name&gt;/.</summary>
internal sealed class NodePaths(string clusterDirectory)
{
    private readonly string _root = Path.Combine(Path.GetFullPath(clusterDirectory), "pods");

    public string PodDirectory(string @namespace, string name) => Path.Combine(_root, @namespace, name);

    public string LogFile(string @namespace, string name, string container) => Path.Combine(PodDirectory(@namespace, name), container + ".log");

    public string TerminationLogFile(string @namespace, string name, string container) =>
        Path.Combine(PodDirectory(@namespace, name), container + ".termination-log");

    public string VolumeDirectory(string @namespace, string name, string volume) => Path.Combine(PodDirectory(@namespace, name), "volumes", volume);
}
