using Cdi.Kube.Models;

namespace Cdi.Controller.Workers;

/// <summary>
/// What makes a worker pod pass the <c>restricted</c> Pod Security level, as upstream's importer: uid 107 (the cdi
/// image's non-root user), no privilege escalation, every capability dropped, the runtime's default seccomp filter.
/// </summary>
public static class WorkerSecurity
{
    public const long User = 107;

    // OnRootMismatch: the volume is the worker's own fresh claim, so a recursive chown of a large one is wasted time.
    public static PodSecurityContext Pod { get; } = new()
    {
        RunAsNonRoot = true,
        RunAsUser = User,
        FsGroup = User,
        FsGroupChangePolicy = "OnRootMismatch",
        SeccompProfile = new() { Type = "RuntimeDefault" },
    };

    public static SecurityContext Container { get; } = new()
    {
        AllowPrivilegeEscalation = false,
        RunAsNonRoot = true,
        Capabilities = new() { Drop = ["ALL"] },
    };
}
