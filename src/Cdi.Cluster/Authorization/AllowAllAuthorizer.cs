namespace Cdi.Cluster.Authorization;

/// <summary>
/// Every request allowed: for unit tests of code that takes an <see cref="IAuthorizer"/>. The API server and the
/// admission it runs use <see cref="RbacAuthorizer"/>.
/// </summary>
internal sealed class AllowAllAuthorizer : IAuthorizer
{
    public AuthorizationDecision Authorize(UserInfo user, ResourceAttributes attributes) => AuthorizationDecision.Allow("every request is allowed");
}
