using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// The top-level fields every built-in kind declares as objects (<c>spec</c>, <c>status</c>) or maps: a typed decoder
/// would refuse anything else, and the printers, controllers and admission steps read them as objects.
/// </summary>
internal static class TopLevelShapeValidator
{
    private static readonly string[] Objects = ["spec", "status", "involvedObject", "source"];

    public static void Validate(JsonObject obj, List<FieldError> errors)
    {
        foreach (var field in Objects)
        {
            JsonFields.Object(obj[field], field, errors);
        }
    }
}
