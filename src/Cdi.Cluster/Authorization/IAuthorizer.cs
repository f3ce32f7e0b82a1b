namespace Cdi.Cluster.Authorization;

/// <summary>Decides whether a user may do something, as a SubjectAccessReview would answer it.</summary>
internal interface IAuthorizer
{
    AuthorizationDecision Authorize(UserInfo user, ResourceAttributes attributes);
}
