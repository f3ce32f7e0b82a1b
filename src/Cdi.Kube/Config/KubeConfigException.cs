namespace Cdi.Kube.Config;

/// <summary>No usable configuration, or a kubeconfig that does not make sense.</summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException() { }
    public KubeConfigException(string message) : base(message) { }
    public KubeConfigException(string message, Exception inner) : base(message, inner) { }
}
