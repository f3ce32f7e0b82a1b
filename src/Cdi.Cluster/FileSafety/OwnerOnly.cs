namespace Cdi.Cluster.FileSafety;

/// <summary>The modes of the cluster's private state: readable and writable by the user running the cluster, nobody else.</summary>
public static class OwnerOnly
{
    /// <summary>0600.</summary>
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>0700.</summary>
    public const UnixFileMode Directory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
}
