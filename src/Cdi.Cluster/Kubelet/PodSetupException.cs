namespace Cdi.Cluster.Kubelet;

/// <summary>A pod cannot start yet (missing secret, unmountable volume): shown as a waiting reason, retried later.</summary>
internal sealed class PodSetupException : Exception
{
    public PodSetupException(string reason, string message) : base(message) => Reason = reason;

    public PodSetupException() : this("CreateContainerError", "") { }

    public PodSetupException(string message) : this("CreateContainerError", message) { }

    public PodSetupException(string message, Exception inner) : base(message, inner) => Reason = "CreateContainerError";

    public string Reason { get; } = "CreateContainerError";
}
