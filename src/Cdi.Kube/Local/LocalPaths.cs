using System.Text;

namespace Cdi.Kube.Local;

/// <summary>
/// Maps paths as a container sees them onto the host, for pods that the local cluster runs as plain processes.
/// <para>
/// Convention: for every volume mount (mountPath) and block device (devicePath) the local pod runner sets
/// <c>CDI_MOUNT_&lt;KEY&gt;=&lt;host path&gt;</c>, where KEY is the container path upper-cased with every character
/// that is not a letter or digit replaced by '_' and leading/trailing '_' trimmed: <c>/data</c> → <c>CDI_MOUNT_DATA</c>,
/// <c>/scratch</c> → <c>CDI_MOUNT_SCRATCH</c>, <c>/dev/cdi-block-volume</c> → <c>CDI_MOUNT_DEV_CDI_BLOCK_VOLUME</c>.
/// The termination message path is mapped the same way and also given as <c>CDI_TERMINATION_LOG</c>.
/// </para>
/// <para>
/// <see cref="Resolve(string)"/> tries the container path and then each parent directory, longest first; the first one
/// with a variable wins and the rest of the path is appended to its host path. With no match (and so always in a real
/// cluster, where no CDI_MOUNT_ variables exist) the path is returned unchanged.
/// </para>
/// </summary>
public static class LocalPaths
{
    public const string MountVariablePrefix = "CDI_MOUNT_";
    public const string TerminationLogVariable = "CDI_TERMINATION_LOG";

    /// <summary>Resolves against this process's environment.</summary>
    public static string Resolve(string containerPath) => Resolve(containerPath, Environment.GetEnvironmentVariable);

    public static string Resolve(string containerPath, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (string.IsNullOrEmpty(containerPath) || containerPath[0] != '/') return containerPath;
        var prefix = containerPath.TrimEnd('/');
        while (prefix.Length > 0)
        {
            if (getVariable(VariableFor(prefix)) is { Length: > 0 } host)
                return prefix.Length == containerPath.Length ? host : host.TrimEnd('/') + containerPath[prefix.Length..];
            var slash = prefix.LastIndexOf('/');
            if (slash <= 0) break;
            prefix = prefix[..slash];
        }
        return containerPath;
    }

    /// <summary>Where the container should write its termination message: CDI_TERMINATION_LOG, else /dev/termination-log resolved.</summary>
    public static string TerminationLog(Func<string, string?>? getVariable = null)
    {
        var get = getVariable ?? Environment.GetEnvironmentVariable;
        return get(TerminationLogVariable) is { Length: > 0 } path ? path : Resolve("/dev/termination-log", get);
    }

    /// <summary>The variable name for a container path: "/dev/cdi-block-volume" → "CDI_MOUNT_DEV_CDI_BLOCK_VOLUME".</summary>
    public static string VariableFor(string containerPath)
    {
        var key = new StringBuilder(containerPath.Length);
        foreach (var c in containerPath) key.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        return MountVariablePrefix + key.ToString().Trim('_');
    }
}
