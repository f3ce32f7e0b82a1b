namespace Cdi.Cluster.Authentication;

/// <summary>What a valid service-account token says: the account (and its uid), and the pod it is bound to, if any.</summary>
internal sealed record ServiceAccountTokenClaims(string Namespace, string Name, string Uid, string? PodName, string? PodUid, DateTimeOffset Expires);
