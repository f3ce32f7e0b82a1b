using System.Text.Json.Nodes;

namespace Cdi.Cluster.Tables;

/// <summary>One column of a server-side Table: its definition and how to compute a cell.</summary>
internal sealed record TableColumn(string Name, string Type, string Format, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell)
{
    public JsonObject Definition() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Name,
        ["priority"] = Priority,
    };
}
