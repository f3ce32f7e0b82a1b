namespace Cdi.Cluster.Authorization;

/// <summary>
/// What a request wants to do, in the terms RBAC and SubjectAccessReview use: a verb on a resource (and subresource)
/// of an API group, in a namespace (null for cluster-scoped) and optionally on one named object.
/// </summary>
internal sealed record ResourceAttributes(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name);
