namespace Cdi.Cluster.Authorization;

/// <summary>
/// Every request allowed: the local cluster's only identity so far is the cluster admin. Replaced by RBAC once the
/// API server authenticates service accounts (issue 17).
/// </summary>
internal sealed class AllowAllAuthorizer : IAuthorizer
{
    public AuthorizationDecision Authorize(UserInfo user, ResourceAttributes attributes) => AuthorizationDecision.Allow("every request is allowed");
}
