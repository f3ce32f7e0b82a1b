using System.Text.Encodings.Web;
using System.Text.Json;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Output;

/// <summary><c>-o json</c>: an array of findings, without \u0027-style escapes (remedies are shell commands people copy).</summary>
public static class FindingJson
{
    // Read-only once first used; shared so the serializer's metadata is built once.
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = DoctorJsonContext.Default,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static string Serialize(IEnumerable<Finding> findings) => JsonSerializer.Serialize(findings.ToList(), Options);

    public static List<Finding> Deserialize(string json) => JsonSerializer.Deserialize<List<Finding>>(json, Options) ?? [];
}
