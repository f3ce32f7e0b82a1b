using System.Text.Json.Nodes;

namespace Cdi.Cluster.Tables;

/// <summary>One column of a server-side Table: its definition and how to compute a cell.</summary>
internal sealed record TableColumn(string Name, string Type, string Format, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell)
{
    /// <summary>
    /// The cell, or "&lt;invalid&gt;" where the object has a field of another shape than the printer reads (a status
    /// written with a string where an object belongs): one odd object must not make the whole listing fail.
    /// </summary>
    public JsonNode? SafeCell(JsonObject o, DateTimeOffset now)
    {
        try
        {
            return Cell(o, now);
        }
        catch (InvalidOperationException)
        {
            return "<invalid>";
        }
    }

    public JsonObject Definition() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Name,
        ["priority"] = Priority,
    };
}
