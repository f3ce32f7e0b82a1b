namespace Cdi.Kube.Models;

/// <summary>A typed Kubernetes object: apiVersion, kind and metadata are all generic code needs.</summary>
public interface IKubeObject
{
    string? ApiVersion { get; }
    string? Kind { get; }
    ObjectMeta Metadata { get; }
}
