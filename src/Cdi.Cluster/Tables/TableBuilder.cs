using System.Text.Json.Nodes;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Tables;

/// <summary>
/// meta.k8s.io/v1 Table output (what <c>kubectl get</c> asks for with <c>Accept: ...;as=Table</c>): columns from a CRD's
/// additionalPrinterColumns (Name first, Age when the CRD declares none), or the built-in printers' columns.
/// </summary>
internal sealed class TableBuilder(TimeProvider clock)
{
    public static IReadOnlyList<TableColumn> Columns(ResourceDefinition d)
    {
        if (!d.IsCustom)
        {
            return CoreTableColumns.For(d.GroupResource);
        }
        var name = new TableColumn("Name", "string", "name", 0, (o, _) => ObjectMeta.Name(o));
        if (d.PrinterColumns.Count == 0)
        {
            return [name, new TableColumn("Age", "date", "", 0, (o, now) => HumanDuration.Age(ObjectMeta.Str(o, "creationTimestamp"), now))];
        }
        return [name, .. d.PrinterColumns.Select(c => new TableColumn(c.Name, c.Type, c.Format ?? "", c.Priority, Cell(c)))];
    }

    // Like the apiextensions table convertor, date columns are sent as ages ("5m"), everything else as found.
    private static Func<JsonObject, DateTimeOffset, JsonNode?> Cell(PrinterColumn c) => c.Type == "date"
        ? (o, now) => JsonPathValue.Evaluate(o, c.JsonPath) is { } v ? JsonValue.Create(HumanDuration.Age(v.ToString(), now)) : null
        : (o, _) => JsonPathValue.Evaluate(o, c.JsonPath);

    /// <summary>
    /// <paramref name="includeObject"/> is the request's <c>includeObject</c>: None, Metadata (the default: a
    /// PartialObjectMetadata) or Object.
    /// </summary>
    public JsonObject Build(ResourceDefinition d, IEnumerable<JsonObject> objects, string includeObject, long resourceVersion, string? continueToken, bool withColumns = true)
    {
        var columns = Columns(d);
        var now = clock.GetUtcNow();
        var rows = new JsonArray();
        foreach (var o in objects)
        {
            var cells = new JsonArray([.. columns.Select(c => c.SafeCell(o, now))]);
            var row = new JsonObject { ["cells"] = cells };
            if (!string.Equals(includeObject, "None", StringComparison.Ordinal))
            {
                row["object"] = string.Equals(includeObject, "Object", StringComparison.Ordinal)
                    ? o.DeepClone()
                    : new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = o["metadata"]?.DeepClone(),
                    };
            }
            rows.Add(row);
        }
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
        };
        if (withColumns)
        {
            table["columnDefinitions"] = new JsonArray([.. columns.Select(c => c.Definition())]);
        }
        table["rows"] = rows;
        return table;
    }
}
