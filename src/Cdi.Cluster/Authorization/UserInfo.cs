namespace Cdi.Cluster.Authorization;

/// <summary>Who made a request, as authentication established it: a user name and its groups (Kubernetes' user.Info).</summary>
internal sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    /// <summary>The kubeconfig's user: a member of <c>system:masters</c>, allowed everything as on a real cluster.</summary>
    public static UserInfo ClusterAdmin { get; } = new("cdi-admin", ["system:masters", "system:authenticated"]);
}
