namespace Cdi.Kube.Models;

/// <summary>A pod's <c>spec.securityContext</c>: the fields Pod Security levels and cdi's worker pods use.</summary>
public sealed record PodSecurityContext
{
    public bool? RunAsNonRoot { get; init; }
    public long? RunAsUser { get; init; }
    public long? RunAsGroup { get; init; }
    public long? FsGroup { get; init; }
    public string? FsGroupChangePolicy { get; init; }
    public SeccompProfile? SeccompProfile { get; init; }
}
