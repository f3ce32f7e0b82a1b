namespace Cdi.Kube.Config;

/// <summary>What config resolution reads from the process, injectable so tests need not touch real environment or files.</summary>
/// <param name="GetVariable">Environment lookup.</param>
/// <param name="HomeDirectory">Where <c>.kube/config</c> is looked for.</param>
/// <param name="ServiceAccountDirectory">Normally <c>/var/run/secrets/kubernetes.io/serviceaccount</c>.</param>
public sealed record KubeConfigEnvironment(Func<string, string?> GetVariable, string? HomeDirectory, string ServiceAccountDirectory)
{
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static KubeConfigEnvironment FromProcess() => new(
        Environment.GetEnvironmentVariable,
        Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        // In a pod of the local cluster (a plain process) the projected folder is elsewhere, named by a CDI_MOUNT_ variable.
        Local.LocalPaths.Resolve(DefaultServiceAccountDirectory));
}
