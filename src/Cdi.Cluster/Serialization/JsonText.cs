using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cdi.Cluster.Serialization;

/// <summary>JSON text for messages: quotes stay quotes (the default encoder writes \u0022).</summary>
internal static class JsonText
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(JsonNode? node) => node?.ToJsonString(Relaxed) ?? "null";
}
