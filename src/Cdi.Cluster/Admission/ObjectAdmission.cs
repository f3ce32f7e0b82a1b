using System.Text.Json.Nodes;
using Cdi.Cluster.Discovery;

namespace Cdi.Cluster.Admission;

/// <summary>
/// The validating admission steps for a create (<c>old</c> null) or an update of the main resource, after defaults:
/// one call from the write path, whatever the kind.
/// </summary>
internal static class ObjectAdmission
{
    public static void Validate(ResourceDefinition d, JsonObject obj, JsonObject? old)
    {
        QuantityAdmission.Admit(d, obj);
        DataVolumeAdmission.Admit(d, obj, old);
    }
}
