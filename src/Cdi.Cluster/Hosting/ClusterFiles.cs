namespace Cdi.Cluster.Hosting;

/// <summary>The files of a cluster directory.</summary>
public static class ClusterFiles
{
    public static string Kubeconfig(string dir) => Path.Combine(dir, "kubeconfig");

    public static string Database(string dir) => Path.Combine(dir, "cluster.db");

    public static string Pid(string dir) => Path.Combine(dir, "cluster.pid");

    public static string Log(string dir) => Path.Combine(dir, "cluster.log");

    /// <summary>Held exclusively (an advisory lock) by the running API server: its presence-and-lock says "running".</summary>
    public static string Lock(string dir) => Path.Combine(dir, "cluster.lock");

    public static string Pki(string dir) => Path.Combine(dir, "pki");

    public static string Token(string dir) => Path.Combine(Pki(dir), "token");
}
