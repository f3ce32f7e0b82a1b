using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>A PersistentVolume's hostPath is where the provisioner and the pod runner read and write: absolute, no '..'.</summary>
internal static class PersistentVolumeValidator
{
    public static void Validate(JsonObject pv, List<FieldError> errors)
    {
        if (JsonFields.Object(pv["spec"], "spec", errors) is not { } spec
            || JsonFields.Object(spec["hostPath"], "spec.hostPath", errors) is not { } hostPath)
        {
            return;
        }
        var path = JsonFields.String(hostPath, "path", "spec.hostPath.path", errors) ?? "";
        if (path.Length == 0)
        {
            errors.Add(FieldErrors.Required("spec.hostPath.path"));
            return;
        }
        PathRules.Absolute(path, "spec.hostPath.path", errors);
    }
}
