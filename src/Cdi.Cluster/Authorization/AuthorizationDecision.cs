namespace Cdi.Cluster.Authorization;

/// <summary>An authorizer's answer; <see cref="Reason"/> is the one line a refusal shows.</summary>
internal sealed record AuthorizationDecision(bool Allowed, string Reason)
{
    public static AuthorizationDecision Allow(string reason) => new(true, reason);

    public static AuthorizationDecision Deny(string reason) => new(false, reason);
}
