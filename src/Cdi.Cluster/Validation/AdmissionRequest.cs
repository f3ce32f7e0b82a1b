using System.Text.Json.Nodes;
using Cdi.Cluster.Authorization;
using Cdi.Cluster.Discovery;

namespace Cdi.Cluster.Validation;

/// <summary>
/// One write to admit: the kind, the operation, the subresource (<c>status</c> or null), the object as it would be
/// stored (read-only: validators must not change it) and, on updates, the stored object it replaces.
/// </summary>
internal sealed record AdmissionRequest(ResourceDefinition Definition, AdmissionOperation Operation, string? Subresource, JsonObject Object, JsonObject? OldObject)
{
    /// <summary>Who asks: admission decisions that depend on the requester (a cross-namespace clone) ask an authorizer about this user.</summary>
    public UserInfo User { get; init; } = UserInfo.ClusterAdmin;
}
