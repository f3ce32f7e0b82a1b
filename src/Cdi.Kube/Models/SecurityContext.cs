namespace Cdi.Kube.Models;

/// <summary>A container's <c>securityContext</c>: the fields Pod Security levels and cdi's worker pods use.</summary>
public sealed record SecurityContext
{
    public bool? Privileged { get; init; }
    public bool? AllowPrivilegeEscalation { get; init; }
    public bool? RunAsNonRoot { get; init; }
    public long? RunAsUser { get; init; }
    public long? RunAsGroup { get; init; }
    public bool? ReadOnlyRootFilesystem { get; init; }
    public Capabilities? Capabilities { get; init; }
    public SeccompProfile? SeccompProfile { get; init; }
}
